import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from zhicheng.accounts.demo import DEMO_PASSWORD


@pytest.fixture
def demo(reseeded, settings, tmp_path):
    """The demo data (password Demo@2026), for browser tests that log in as the demo users."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)


@pytest.fixture
def patient_expect():
    # The machine runs several suites at once: give assertions time under load.
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def log_in(live_server):
    def go(page, username, password=DEMO_PASSWORD):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        expect(page.locator("nav.navbar")).to_contain_text("退出")

    return go
