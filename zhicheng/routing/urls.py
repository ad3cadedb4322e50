from django.urls import path

from zhicheng.routing import views
from zhicheng.routing.models import RouteKind

app_name = "routing"
urlpatterns = [
    path("offices/", views.AcceptanceOfficeListView.as_view(), name="office-list"),
    path("offices/new/", views.AcceptanceOfficeCreateView.as_view(), name="office-create"),
    path("offices/<int:pk>/", views.AcceptanceOfficeDetailView.as_view(), name="office-detail"),
    path(
        "offices/<int:pk>/edit/", views.AcceptanceOfficeUpdateView.as_view(), name="office-update"
    ),
    path(
        "offices/<int:pk>/notice/",
        views.AcceptanceOfficeNoticeView.as_view(),
        name="office-notice",
    ),
    path(
        "offices/<int:pk>/deregister/",
        views.AcceptanceOfficeDeregisterView.as_view(),
        name="office-deregister",
    ),
    path("routes/preview/", views.RoutePreviewView.as_view(), name="route-preview"),
    path("routes/links/<int:pk>/edit/", views.RouteEdgeUpdateView.as_view(), name="route-update"),
    path(
        "routes/links/<int:pk>/deregister/",
        views.RouteEdgeDeregisterView.as_view(),
        name="route-deregister",
    ),
]

# One list page and one 新增 page per route kind (1.4–1.8), each with its own URL name so the
# menu entries link to them without arguments.
for kind in RouteKind.values:
    urlpatterns += [
        path(
            f"routes/{kind}/",
            views.RouteEdgeListView.as_view(),
            {"kind": kind},
            name=f"route-list-{kind}",
        ),
        path(
            f"routes/{kind}/new/",
            views.RouteEdgeCreateView.as_view(),
            {"kind": kind},
            name=f"route-create-{kind}",
        ),
    ]
