from django.apps import AppConfig


def reseed_initial_rules(sender, apps=None, **kwargs) -> None:
    """Put the seeded 初定 rules back after a flush (see catalog.apps for why post_migrate).

    Only an empty rule table is seeded: rules an officer removed stay removed.
    """
    from django.apps import apps as global_apps

    from zhicheng.applications.seed import seed

    apps = apps or global_apps
    try:
        Rule = apps.get_model("applications", "InitialDeterminationRule")
    except LookupError:  # a migration state from before the rule table existed
        return
    if not Rule.objects.exists():
        seed(apps)


class ApplicationsConfig(AppConfig):
    name = "zhicheng.applications"
    label = "applications"
    verbose_name = "职称申报"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(reseed_initial_rules, sender=self)
