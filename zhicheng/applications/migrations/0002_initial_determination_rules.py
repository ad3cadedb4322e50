from django.db import migrations

from zhicheng.applications.seed import seed


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
