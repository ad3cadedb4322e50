"""The project's storages: static files (at the end), and where uploaded files (电子档案, plan
files, certificates) live: ``MEDIA_ROOT/private``, never under a public URL.

Files are served only by the apps' own views (e.g. ``applications.views.AttachmentFileView``)
and the API, after the owning row's data scope has been checked. ``url()`` refuses, so no template or
serializer can leak a direct link by accident.
"""

from __future__ import annotations

import os
from functools import cached_property

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PrivateStorage(FileSystemStorage):
    @cached_property
    def base_location(self) -> str:
        # Re-read when MEDIA_ROOT changes (FileSystemStorage drops this cache on setting_changed).
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name: str | None) -> str:
        raise ValueError("附件不提供公开访问地址，请通过授权的下载地址访问")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of every private ``FileField`` (a callable, so migrations do not freeze a path)."""
    return _storage


class _UrlsWorkedOutOnce:
    """``{% static %}`` asks for the same dozen names on every page, and working a URL out (the
    manifest's hashed name, quoting, joining) cost about a tenth of rendering the public 证书核验
    page. A name's URL does not change while the process runs: collectstatic runs before the
    server starts, and a test that changes the static settings gets a new storage object."""

    def url(self, name, force=False):
        urls = self.__dict__.setdefault("_worked_out_urls", {})
        key = (name, force)
        if key not in urls:
            urls[key] = super().url(name, force) if force else super().url(name)
        return urls[key]


class StaticStorage(_UrlsWorkedOutOnce, StaticFilesStorage):
    """Static files under DEBUG: the apps' own names."""


class HashedStaticStorage(_UrlsWorkedOutOnce, CompressedManifestStaticFilesStorage):
    """Static files in production: hashed names, compressed copies (whitenoise serves them)."""
