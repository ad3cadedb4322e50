"""Every account the demo opens with the demo password is listed in the README with its roles
(issue 9: five working accounts beyond the README's nine accepted it unannounced)."""

import re
from pathlib import Path

from django.core.management import call_command

from zhicheng.accounts.demo import DEMO_PASSWORD
from zhicheng.accounts.models import User

README = Path(__file__).resolve().parents[3] / "README.md"
ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+?) \|", re.MULTILINE)


def test_the_readme_lists_every_demo_account_with_its_roles(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    documented = dict(ROW.findall(README.read_text(encoding="utf-8")))
    with_demo_password = {
        user.username: "、".join(user.role_labels)
        for user in User.objects.filter(is_active=True)
        if user.check_password(DEMO_PASSWORD)
    }
    assert with_demo_password
    assert {name: documented.get(name) for name in with_demo_password} == with_demo_password
