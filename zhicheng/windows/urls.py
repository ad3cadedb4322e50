from django.urls import path

from . import views

app_name = "windows"
urlpatterns = [
    path("", views.ApplicationWindowListView.as_view(), name="window-list"),
    path("new/", views.ApplicationWindowCreateView.as_view(), name="window-create"),
    path("<int:pk>/", views.ApplicationWindowDetailView.as_view(), name="window-detail"),
    path("<int:pk>/edit/", views.ApplicationWindowUpdateView.as_view(), name="window-update"),
    path("<int:pk>/close/", views.ApplicationWindowCloseView.as_view(), name="window-close"),
]
