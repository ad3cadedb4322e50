from django.urls import path

from zhicheng.blacklist import views

app_name = "blacklist"
urlpatterns = [
    path("", views.BlacklistListView.as_view(), name="entry-list"),
    path("new/", views.BlacklistCreateView.as_view(), name="entry-create"),
    path("<int:pk>/", views.BlacklistDetailView.as_view(), name="entry-detail"),
    path("<int:pk>/edit/", views.BlacklistUpdateView.as_view(), name="entry-update"),
    path("<int:pk>/lift/", views.BlacklistLiftView.as_view(), name="entry-lift"),
]
