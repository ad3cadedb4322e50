from django.urls import path

from zhicheng.reviewforms import views

app_name = "reviewforms"
urlpatterns = [
    path("<int:pk>/", views.ReviewFormPdfView.as_view(), name="review-form-pdf"),
    path("<int:pk>/scan/", views.ReviewFormScanFileView.as_view(), name="review-form-scan"),
    path(
        "<int:pk>/scan/upload/",
        views.ReviewFormScanUploadView.as_view(),
        name="review-form-scan-upload",
    ),
]
