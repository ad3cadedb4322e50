from django.urls import path, re_path

from zhicheng.applications import views

app_name = "applications"
urlpatterns = [
    # 1.12 职称申报人员资格审核 and 1.24 职称申报审核流程查询
    path("", views.ReviewListView.as_view(), name="review-list"),
    path("trace/", views.TraceListView.as_view(), name="trace-list"),
    path("batch-approve/", views.BatchApproveView.as_view(), name="batch-approve"),
    # one application
    path("new/", views.ApplicationFormView.as_view(), name="application-create"),
    path("<int:pk>/", views.ApplicationDetailView.as_view(), name="application-detail"),
    path("<int:pk>/edit/", views.ApplicationFormView.as_view(), name="application-update"),
    path("<int:pk>/review/", views.ApplicationReviewView.as_view(), name="application-review"),
    path("<int:pk>/timeline/", views.TimelineView.as_view(), name="application-timeline"),
    path("<int:pk>/attachments/", views.AttachmentsView.as_view(), name="application-attachments"),
    re_path(
        r"^(?P<pk>[0-9]+)/(?P<action>submit|resubmit|withdraw)/$",
        views.ApplicantActionView.as_view(),
        name="application-action",
    ),
    path("attachments/<int:pk>/file/", views.AttachmentFileView.as_view(), name="attachment-file"),
    path(
        "attachments/<int:pk>/delete/",
        views.AttachmentDeleteView.as_view(),
        name="attachment-delete",
    ),
    # the new-application form's HTMX sections
    path("form/options/", views.FormOptionsView.as_view(), name="form-options"),
    path("form/titles/", views.FormTitlesView.as_view(), name="form-titles"),
]
