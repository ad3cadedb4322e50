from django.urls import path

from zhicheng.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization-list"),
    path("new/", views.OrganizationCreateView.as_view(), name="organization-create"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization-detail"),
    path("<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization-update"),
    path(
        "<int:pk>/deregister/",
        views.OrganizationDeregisterView.as_view(),
        name="organization-deregister",
    ),
]
