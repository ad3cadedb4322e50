from django.urls import path

from zhicheng.units import views

app_name = "units"
urlpatterns = [
    path("register/", views.UnitRegisterView.as_view(), name="register"),
    path("registrations/", views.UnitRegistrationListView.as_view(), name="registration-list"),
    path(
        "registrations/<int:pk>/",
        views.UnitRegistrationDetailView.as_view(),
        name="registration-detail",
    ),
    path(
        "registrations/<int:pk>/approve/",
        views.UnitRegistrationApproveView.as_view(),
        name="registration-approve",
    ),
    path(
        "registrations/<int:pk>/refuse/",
        views.UnitRegistrationRefuseView.as_view(),
        name="registration-refuse",
    ),
    path(
        "registrations/<int:pk>/reset-password/",
        views.UnitRegistrationResetPasswordView.as_view(),
        name="registration-reset-password",
    ),
    path("publicity/", views.publicity_page, name="publicity"),
    path("publicity/new/", views.publicity_create, name="publicity-create"),
    path("publicity/<int:pk>/result/", views.publicity_result, name="publicity-result"),
    path("publicity/<int:pk>/scan/", views.publicity_scan, name="publicity-scan"),
    path("publicity/sheet.pdf", views.publicity_sheet_pdf, name="publicity-sheet-pdf"),
]
