"""Static URLs are worked out once per storage object, and a change of the static settings
(a new storage object) is not hidden by what the old one worked out."""

from unittest import mock

from django.contrib.staticfiles.storage import StaticFilesStorage, staticfiles_storage
from django.templatetags.static import static
from django.test import override_settings

from zhicheng.common.storage import StaticStorage


def test_a_url_is_worked_out_once_and_is_the_same():
    storage = StaticStorage()
    with mock.patch.object(
        StaticFilesStorage, "url", autospec=True, return_value="/x/a.css"
    ) as url:
        assert storage.url("web/app.css") == storage.url("web/app.css") == "/x/a.css"
        assert storage.url("web/app.js") == "/x/a.css"
    assert url.call_count == 2  # once per name


def test_changed_static_settings_give_new_urls():
    assert static("web/app.css") == "/static/web/app.css"
    with override_settings(STATIC_URL="/assets/"):
        assert static("web/app.css") == "/assets/web/app.css"
        assert isinstance(staticfiles_storage._wrapped, StaticStorage)
    assert static("web/app.css") == "/static/web/app.css"
