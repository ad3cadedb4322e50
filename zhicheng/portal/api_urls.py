"""/api/v1/: each app's api module registers its viewsets on the one router.

Imported explicitly (not by name from a list of strings), so the import graph shows that the
portal, and only the portal, wires every app's API.
"""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from zhicheng.accounts import api as accounts_api
from zhicheng.achievements import api as achievements_api
from zhicheng.applications import api as applications_api
from zhicheng.audit import api as audit_api
from zhicheng.blacklist import api as blacklist_api
from zhicheng.catalog import api as catalog_api
from zhicheng.certificates import api as certificates_api
from zhicheng.committees import api as committees_api
from zhicheng.experts import api as experts_api
from zhicheng.filings import api as filings_api
from zhicheng.inbox import api as inbox_api
from zhicheng.meetings import api as meetings_api
from zhicheng.orgs import api as orgs_api
from zhicheng.persons import api as persons_api
from zhicheng.plans import api as plans_api
from zhicheng.quotas import api as quotas_api
from zhicheng.reviewforms import api as reviewforms_api
from zhicheng.routing import api as routing_api
from zhicheng.tabular import api as tabular_api
from zhicheng.units import api as units_api
from zhicheng.windows import api as windows_api

# Registration order is the order of the router's root listing and of the OpenAPI paths.
API_MODULES = [
    accounts_api,
    orgs_api,
    persons_api,
    blacklist_api,
    applications_api,
    tabular_api,
    audit_api,
    catalog_api,
    routing_api,
    committees_api,
    certificates_api,
    quotas_api,
    plans_api,
    experts_api,
    windows_api,
    meetings_api,
    filings_api,
    achievements_api,
    units_api,
    inbox_api,
    reviewforms_api,
]

router = DefaultRouter()
extra_urlpatterns = []
for module in API_MODULES:
    module.register(router)
    extra_urlpatterns += getattr(module, "urlpatterns", [])

# 证书核验 (a public read per QR scan) is tried before every other API pattern.
extra_urlpatterns.sort(key=lambda pattern: pattern.name != "api-certificate-verification")
urlpatterns = [*extra_urlpatterns, path("", include(router.urls))]
