"""The processes that render and sign a 批量发放证书 job's certificates (``services.issue_jobs``
starts them with ``spawn``). This module is what such a process imports before Django is set
up, so it imports nothing of the project at its top: ``start`` sets Django up, then the pages
arrive (``pdf.CertificateText``, pickled) and go back signed."""

from __future__ import annotations


def start() -> None:
    import django

    django.setup()


def certificate_pdf(text) -> bytes:
    """The signed PDF of a face (``pdf.CertificateText``): render + sign, no database."""
    from zhicheng.certificates import pdf

    return pdf.sign(pdf.render(text), location=text.issuing_unit)
