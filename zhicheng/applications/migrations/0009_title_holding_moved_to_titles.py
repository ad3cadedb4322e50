"""``TitleHolding`` moved to the ``titles`` app (``titles.0001``) keeping its table: remove it
from this app's migration state only. Runs after ``certificates.0006`` so no model in the state
still points here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0008_route_node_year_index"),
        ("certificates", "0006_certificate_holding_in_titles"),
        ("titles", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TitleHolding"),
            ],
            database_operations=[],
        ),
    ]
