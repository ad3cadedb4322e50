from django.urls import path

from zhicheng.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("functions/<str:code>/", views.function_pending, name="function-pending"),
]
