from django.urls import path

from zhicheng.committees import views, views_other

app_name = "committees"
urlpatterns = [
    path("", views.CommitteeListView.as_view(), name="committee-list"),
    path("query/", views.CommitteeQueryView.as_view(), name="committee-query"),
    path("new/", views.CommitteeCreateView.as_view(), name="committee-create"),
    path("workspace/", views.workspace, name="workspace"),
    path(
        "initial-passwords/<int:pk>/download/",
        views.HandoutDownloadView.as_view(),
        name="handout-download",
    ),
    path("<int:pk>/", views.CommitteeDetailView.as_view(), name="committee-detail"),
    path("<int:pk>/edit/", views.CommitteeUpdateView.as_view(), name="committee-update"),
    path(
        "<int:pk>/deregister/",
        views.CommitteeDeregisterView.as_view(),
        name="committee-deregister",
    ),
    path(
        "<int:pk>/reset-password/",
        views.CommitteeResetPasswordView.as_view(),
        name="committee-reset-password",
    ),
    path("<int:pk>/other/", views_other.CommitteeOtherInfoView.as_view(), name="committee-other"),
    path(
        "<int:pk>/other/specialties/search/",
        views_other.specialty_search,
        name="specialty-search",
    ),
    path(
        "<int:pk>/other/specialties/", views_other.SpecialtyAddView.as_view(), name="specialty-add"
    ),
    path(
        "<int:pk>/other/specialties/<int:link_id>/delete/",
        views_other.SpecialtyRemoveView.as_view(),
        name="specialty-remove",
    ),
    path(
        "<int:pk>/other/organizers/", views_other.OrganizerAddView.as_view(), name="organizer-add"
    ),
    path(
        "<int:pk>/other/organizers/<int:link_id>/delete/",
        views_other.OrganizerRemoveView.as_view(),
        name="organizer-remove",
    ),
    path("<int:pk>/other/fees/", views_other.FeeAddView.as_view(), name="fee-add"),
    path("<int:pk>/other/fees/<int:fee_id>/", views_other.FeeSaveView.as_view(), name="fee-save"),
    path(
        "<int:pk>/other/fees/<int:fee_id>/delete/",
        views_other.FeeDeleteView.as_view(),
        name="fee-delete",
    ),
]
