"""/api/v1/: each app's api module registers its viewsets on the one router."""

from importlib import import_module

from django.urls import include, path
from rest_framework.routers import DefaultRouter

API_MODULES = [
    "zhicheng.accounts.api",
    "zhicheng.orgs.api",
    "zhicheng.persons.api",
    "zhicheng.blacklist.api",
    "zhicheng.applications.api",
    "zhicheng.tabular.api",
    "zhicheng.audit.api",
    "zhicheng.catalog.api",
    "zhicheng.routing.api",
    "zhicheng.committees.api",
    "zhicheng.certificates.api",
    "zhicheng.quotas.api",
    "zhicheng.plans.api",
]

router = DefaultRouter()
extra_urlpatterns = []
for module_name in API_MODULES:
    module = import_module(module_name)
    module.register(router)
    extra_urlpatterns += getattr(module, "urlpatterns", [])

urlpatterns = [*extra_urlpatterns, path("", include(router.urls))]
