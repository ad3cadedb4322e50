from django.urls import path

from zhicheng.quotas import views

app_name = "quotas"
urlpatterns = [
    path("", views.QuotaDeclarationListView.as_view(), name="declaration-list"),
    path("new/", views.QuotaDeclarationCreateView.as_view(), name="declaration-create"),
    path("<int:pk>/", views.QuotaDeclarationDetailView.as_view(), name="declaration-detail"),
    path("<int:pk>/edit/", views.QuotaDeclarationUpdateView.as_view(), name="declaration-update"),
]
