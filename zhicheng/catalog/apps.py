from django.apps import AppConfig


def reseed_standard_catalog(sender, apps=None, **kwargs) -> None:
    """Keep the standard specialties and title tree present after every migrate *and* flush.

    The data migration seeds them once; a flush (the test runner's transactional tests, or an
    operator's ``manage.py flush``) empties the tables and then emits post_migrate, so seeding
    here too means the system never runs without its built-in catalogue. Idempotent.
    """
    from django.apps import apps as global_apps

    from zhicheng.catalog.standard import seed

    seed(apps or global_apps)


class CatalogConfig(AppConfig):
    name = "zhicheng.catalog"
    label = "catalog"
    verbose_name = "职称专业与职称树"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(reseed_standard_catalog, sender=self)
