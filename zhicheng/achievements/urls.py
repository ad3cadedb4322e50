from django.urls import path

from . import views

app_name = "achievements"
urlpatterns = [
    path("", views.AchievementListView.as_view(), name="achievement-list"),
    path("new/", views.AchievementCreateView.as_view(), name="achievement-create"),
    path("<int:pk>/", views.AchievementDetailView.as_view(), name="achievement-detail"),
    path("<int:pk>/edit/", views.AchievementUpdateView.as_view(), name="achievement-update"),
    path("<int:pk>/delete/", views.AchievementDeleteView.as_view(), name="achievement-delete"),
    path("proofs/<int:pk>/file/", views.ProofFileView.as_view(), name="proof-file"),
    path("proofs/<int:pk>/delete/", views.ProofDeleteView.as_view(), name="proof-delete"),
    path(
        "applications/<int:pk>/",
        views.ApplicationMaterialsView.as_view(),
        name="application-materials",
    ),
    path(
        "applications/<int:pk>/proofs/<int:proof_pk>/",
        views.ApplicationProofFileView.as_view(),
        name="application-proof-file",
    ),
    path("checklists/", views.ChecklistListView.as_view(), name="checklist-list"),
    path("checklists/new/", views.ChecklistCreateView.as_view(), name="checklist-create"),
    path("checklists/<int:pk>/", views.ChecklistDetailView.as_view(), name="checklist-detail"),
    path("checklists/<int:pk>/edit/", views.ChecklistUpdateView.as_view(), name="checklist-update"),
    path(
        "checklists/<int:pk>/delete/",
        views.ChecklistDeleteView.as_view(),
        name="checklist-delete",
    ),
    path(
        "checklists/<int:pk>/items/<int:item_pk>/delete/",
        views.ChecklistItemDeleteView.as_view(),
        name="checklist-item-delete",
    ),
]
