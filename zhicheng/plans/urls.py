from django.urls import path

from zhicheng.plans import views, views_compile

app_name = "plans"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan-list"),
    path("review/", views.PlanReviewListView.as_view(), name="review-list"),
    path("review/special/", views.SpecialPlanReviewListView.as_view(), name="special-review-list"),
    path("new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan-update"),
    path("<int:pk>/review/", views.PlanReviewView.as_view(), name="plan-review"),
    path("<int:pk>/submit/", views_compile.PlanSubmitView.as_view(), name="plan-submit"),
    path(
        "<int:pk>/participants/",
        views_compile.ParticipantsAddView.as_view(),
        name="participants-add",
    ),
    path(
        "participants/<int:pk>/remove/",
        views_compile.ParticipantRemoveView.as_view(),
        name="participant-remove",
    ),
    path("<int:pk>/experts/", views_compile.ExpertAddView.as_view(), name="expert-add"),
    path(
        "experts/<int:pk>/remove/", views_compile.ExpertRemoveView.as_view(), name="expert-remove"
    ),
    path("<int:pk>/scoring/", views_compile.ScoringAddView.as_view(), name="scoring-add"),
    path(
        "scoring/<int:pk>/remove/",
        views_compile.ScoringRemoveView.as_view(),
        name="scoring-remove",
    ),
    path("<int:pk>/attachments/", views_compile.AttachmentAddView.as_view(), name="attachment-add"),
    path(
        "attachments/<int:pk>/", views_compile.AttachmentFileView.as_view(), name="attachment-file"
    ),
    path(
        "attachments/<int:pk>/remove/",
        views_compile.AttachmentRemoveView.as_view(),
        name="attachment-remove",
    ),
]
