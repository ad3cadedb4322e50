from django.urls import path

from zhicheng.certificates import views, views_issue, views_national, views_reissue

app_name = "certificates"
urlpatterns = [
    path("issuing-units/", views.IssuingUnitListView.as_view(), name="issuing-unit-list"),
    path("issuing-units/new/", views.IssuingUnitCreateView.as_view(), name="issuing-unit-create"),
    path(
        "issuing-units/<int:pk>/",
        views.IssuingUnitDetailView.as_view(),
        name="issuing-unit-detail",
    ),
    path(
        "issuing-units/<int:pk>/edit/",
        views.IssuingUnitUpdateView.as_view(),
        name="issuing-unit-update",
    ),
    path(
        "issuing-units/<int:pk>/deregister/",
        views.IssuingUnitDeregisterView.as_view(),
        name="issuing-unit-deregister",
    ),
    path(
        "issuing-units/<int:pk>/seal/",
        views.IssuingUnitSealView.as_view(),
        name="issuing-unit-seal",
    ),
    path(
        "issuing-units/<int:pk>/seal.png",
        views.IssuingUnitSealImageView.as_view(),
        name="issuing-unit-seal-image",
    ),
    path(
        "issuing-units/<int:pk>/seal/remove/",
        views.IssuingUnitSealRemoveView.as_view(),
        name="issuing-unit-seal-remove",
    ),
    path("numbers/", views.CertificateNumberListView.as_view(), name="number-list"),
    path(
        "numbers/generate/",
        views.CertificateNumberGenerateView.as_view(),
        name="number-generate",
    ),
    path("issue/", views_issue.CertificateIssueListView.as_view(), name="issue-list"),
    path("issue/do/", views_issue.CertificateIssueView.as_view(), name="issue"),
    path("issue/jobs/", views_issue.IssueJobListView.as_view(), name="issue-jobs"),
    path("issue/jobs/<int:pk>/", views_issue.IssueJobView.as_view(), name="issue-job"),
    path(
        "national-reports/",
        views_national.NationalReportListView.as_view(),
        name="national-report-list",
    ),
    path(
        "national-reports/report/",
        views_national.NationalReportView.as_view(),
        name="national-report",
    ),
    path(
        "national-reports/<int:pk>/retry/",
        views_national.NationalReportRetryView.as_view(),
        name="national-report-retry",
    ),
    path("reissues/", views_reissue.ReissueListView.as_view(), name="reissue-list"),
    path(
        "reissues/<int:pk>/approve/",
        views_reissue.ReissueApproveView.as_view(),
        name="reissue-approve",
    ),
    path(
        "reissues/<int:pk>/refuse/",
        views_reissue.ReissueRefuseView.as_view(),
        name="reissue-refuse",
    ),
    path(
        "<int:pk>/reissue-request/",
        views_reissue.ReissueRequestView.as_view(),
        name="reissue-request",
    ),
    path(
        "employees/",
        views_reissue.EmployeeCertificateListView.as_view(),
        name="employee-certificate-list",
    ),
    path("<int:pk>/file/", views_issue.CertificateFileView.as_view(), name="certificate-file"),
    path("", views_issue.CertificateQueryView.as_view(), name="certificate-list"),
    path("revoke/", views_issue.CertificateRevokeListView.as_view(), name="revoke-list"),
    path("<int:pk>/", views_issue.CertificateDetailView.as_view(), name="certificate-detail"),
    path(
        "<int:pk>/revoke/", views_issue.CertificateRevokeView.as_view(), name="certificate-revoke"
    ),
]
