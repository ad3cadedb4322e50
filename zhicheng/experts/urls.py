from django.urls import path

from zhicheng.experts import views

app_name = "experts"
urlpatterns = [
    path("", views.ExpertListView.as_view(), name="expert-list"),
    path("new/", views.ExpertCreateView.as_view(), name="expert-create"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="expert-detail"),
    path("<int:pk>/edit/", views.ExpertUpdateView.as_view(), name="expert-update"),
    path("<int:pk>/leave/", views.ExpertLeaveView.as_view(), name="expert-leave"),
    path("<int:pk>/return/", views.ExpertReturnView.as_view(), name="expert-return"),
    path(
        "<int:pk>/reset-password/",
        views.ExpertResetPasswordView.as_view(),
        name="expert-reset-password",
    ),
    path("plans/<int:pk>/panel/", views.PlanPanelView.as_view(), name="plan-panel"),
    path(
        "plans/<int:pk>/panel/section/",
        views.PlanPanelSectionView.as_view(),
        name="plan-panel-section",
    ),
    path("plans/<int:pk>/panel/draw/", views.PanelDrawView.as_view(), name="panel-draw"),
]
