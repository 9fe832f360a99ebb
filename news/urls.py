from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("artikel/<int:pk>-<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("artikel/<int:pk>/", views.ArticleDetailView.as_view(), name="article_short"),
    path("land/<slug:slug>/", views.CountryView.as_view(), name="country"),
    path("onderwerp/<slug:slug>/", views.TopicView.as_view(), name="topic"),
]
