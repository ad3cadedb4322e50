"""Import alias only: the frozen migrations ``applications/0001``, ``certificates/0003`` and
``plans/0001`` name ``zhicheng.applications.storage.private_storage``. New code imports
:mod:`zhicheng.common.storage`."""

from zhicheng.common.storage import PrivateStorage, private_storage

__all__ = ["PrivateStorage", "private_storage"]
