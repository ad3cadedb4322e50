from django.urls import path

from zhicheng.catalog import views

app_name = "catalog"
urlpatterns = [
    path("specialties/", views.specialty_tree, name="specialty-tree"),
    path("specialties/<int:pk>/children/", views.specialty_children, name="specialty-children"),
    path("specialties/<int:pk>/children/new/", views.specialty_create, name="specialty-create"),
    path("specialties/<int:pk>/edit/", views.specialty_update, name="specialty-update"),
    path("specialties/<int:pk>/delete/", views.specialty_delete, name="specialty-delete"),
    path("titles/", views.title_tree, name="title-tree"),
    path("titles/series/<int:pk>/new/", views.title_create, name="title-create"),
    path("titles/<int:pk>/edit/", views.title_update, name="title-update"),
    path("titles/<int:pk>/delete/", views.title_delete, name="title-delete"),
]
