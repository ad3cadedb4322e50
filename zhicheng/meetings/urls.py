from django.urls import path

from zhicheng.meetings import views

app_name = "meetings"
urlpatterns = [
    path("plans/<int:pk>/", views.MeetingView.as_view(), name="meeting"),
    path("plans/<int:pk>/open/", views.MeetingOpenView.as_view(), name="meeting-open"),
    path(
        "plans/<int:pk>/attendance/",
        views.MeetingAttendanceView.as_view(),
        name="meeting-attendance",
    ),
    path("plans/<int:pk>/close/", views.MeetingCloseView.as_view(), name="meeting-close"),
    path("results/", views.MeetingResultListView.as_view(), name="result-list"),
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review"),
    path("reviews/<int:pk>/scores/", views.ReviewScoreView.as_view(), name="review-scores"),
    path("reviews/<int:pk>/vote/", views.ReviewVoteView.as_view(), name="review-vote"),
    path(
        "reviews/<int:pk>/attachments/<int:attachment_pk>/",
        views.ReviewAttachmentView.as_view(),
        name="review-attachment",
    ),
    path("pass-rate-caps/", views.CapListView.as_view(), name="caps"),
    path("pass-rate-caps/set/", views.CapSetView.as_view(), name="cap-set"),
]
