"""Mounted at the site root by zhicheng/urls.py: everything lives under imports/ and exports/."""

from django.urls import path

from zhicheng.tabular import views

app_name = "tabular"
urlpatterns = [
    path("imports/<int:pk>/commit/", views.import_commit, name="commit"),
    path("imports/<int:pk>/errors/", views.import_errors, name="errors"),
    path("imports/<slug:key>/", views.import_page, name="import"),
    path("imports/<slug:key>/template/", views.import_template, name="template"),
    path("imports/<slug:key>/upload/", views.import_upload, name="upload"),
    path("exports/jobs/<int:pk>/", views.export_job, name="export-job"),
    path("exports/jobs/<int:pk>/download/", views.export_download, name="export-download"),
    path("exports/<slug:key>/", views.export, name="export"),
]
