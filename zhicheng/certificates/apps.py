from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "zhicheng.certificates"
    label = "certificates"
    verbose_name = "证书"
