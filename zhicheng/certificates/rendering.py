"""The processes that render and sign a 批量发放证书 job's certificates (``services.issue_jobs``
starts them with ``spawn``). This module is what such a process imports before Django is set
up, so it imports nothing of the project at its top: ``start`` sets Django up, then the pages
arrive (``pdf.CertificateText``, pickled) and go back signed."""

from __future__ import annotations


def start() -> None:
    import django

    _exit_with_parent()
    django.setup()


def _exit_with_parent() -> None:
    """End this process when the job's runner ends, however it ends: a runner killed with
    SIGKILL never shuts its pool down, and its processes (each holding the task queue's
    write end, so never reading its end) would idle on for ever."""
    import multiprocessing
    import os
    import threading
    from multiprocessing.connection import wait

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def certificate_pdf(text) -> bytes:
    """The signed PDF of a face (``pdf.CertificateText``): render + sign, no database."""
    from zhicheng.certificates import pdf

    return pdf.sign(pdf.render(text), location=text.issuing_unit)
