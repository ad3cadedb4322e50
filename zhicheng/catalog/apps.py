from django.apps import AppConfig


def reseed_standard_catalog(sender, apps=None, **kwargs) -> None:
    """Put the standard specialties and title tree back after a flush.

    The data migration seeds them once; a flush (the test runner's transactional tests, or an
    operator's ``manage.py flush``) empties the tables and then emits post_migrate. Only an
    empty catalogue is seeded, so a standard row an officer deleted is not brought back by the
    next deployment's migrate.
    """
    from django.apps import apps as global_apps

    from zhicheng.catalog.standard import seed

    apps = apps or global_apps
    try:
        series = apps.get_model("catalog", "TitleSeries")
    except LookupError:  # migrated back before the catalogue (e.g. ``migrate orgs 0001``)
        return
    if not series.objects.exists():
        seed(apps)


class CatalogConfig(AppConfig):
    name = "zhicheng.catalog"
    label = "catalog"
    verbose_name = "职称专业与职称树"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(reseed_standard_catalog, sender=self)
