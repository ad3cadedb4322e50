"""Where uploaded files (电子档案, plan files, certificates) live: ``MEDIA_ROOT/private``, never
under a public URL.

Files are served only by the apps' own views (e.g. ``applications.views.AttachmentFileView``)
and the API, after the owning row's data scope has been checked. ``url()`` refuses, so no template or
serializer can leak a direct link by accident.
"""

from __future__ import annotations

import os
from functools import cached_property

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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
