from django.urls import path

from zhicheng.filings import views

app_name = "filings"
urlpatterns = [
    path("", views.FilingListView.as_view(), name="filing-list"),
    path("<int:pk>/", views.FilingDetailView.as_view(), name="filing-detail"),
    path("<int:pk>/review/", views.FilingReviewView.as_view(), name="filing-review"),
    path("publicity/", views.PublicityListView.as_view(), name="publicity-list"),
    path("publicity/<int:pk>/", views.PublicityDetailView.as_view(), name="publicity-detail"),
    path("publicity/<int:pk>/publish/", views.PublishView.as_view(), name="publicity-publish"),
    path(
        "publicity/<int:pk>/objections/",
        views.ObjectionRecordView.as_view(),
        name="objection-record",
    ),
    path("publicity/<int:pk>/send/", views.FilingSendView.as_view(), name="filing-send"),
    path("objections/", views.ObjectionListView.as_view(), name="objection-list"),
    path(
        "objections/<int:pk>/resolve/",
        views.ObjectionResolveView.as_view(),
        name="objection-resolve",
    ),
    path("results/", views.ResultListView.as_view(), name="result-list"),
]
