from django.urls import path

from zhicheng.audit import views

app_name = "audit"
urlpatterns = [
    path("operations/", views.OperationLogListView.as_view(), name="operation-log-list"),
    path(
        "operations/<int:pk>/",
        views.OperationLogDetailView.as_view(),
        name="operation-log-detail",
    ),
    path("logins/", views.LoginLogListView.as_view(), name="login-log-list"),
]
