from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from zhicheng.web.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("zhicheng.web.urls")),
    path("", include("zhicheng.accounts.urls")),
    path("orgs/", include("zhicheng.orgs.urls")),
    path("api/v1/", include("zhicheng.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
