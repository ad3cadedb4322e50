from django.urls import path

from zhicheng.persons import views

# The public registration page is at /register/ (named "register"), wired in zhicheng/urls.py.
app_name = "persons"
urlpatterns = [
    path("workspace/", views.workspace, name="workspace"),
]
