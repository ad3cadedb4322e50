from django.urls import path

from zhicheng.portal import views

# The namespace stays "web": templates and redirects name web:home and web:function-pending.
app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("functions/<str:code>/", views.function_pending, name="function-pending"),
]
