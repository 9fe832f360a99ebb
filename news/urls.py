from django.urls import path, re_path

from . import feeds, preview, views
from .merging import follow_topic_alias

app_name = "news"

urlpatterns = [
    path("", views.FrontPageView.as_view(), name="front"),
    path("artikel/<int:pk>-<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
    path("artikel/<int:pk>/", views.ArticleDetailView.as_view(), name="article_short"),
    path("voorbeeld/<int:pk>/", preview.article_preview, name="article_preview"),
    path("land/<slug:slug>/", views.CountryView.as_view(), name="country"),
    path("onderwerp/<slug:slug>/", follow_topic_alias(views.TopicView.as_view()), name="topic"),
    path("archief/", views.ArchiveView.as_view(), name="archive"),
    # Four-digit years from 1000 to 2999: the date views step a year, month or day
    # beyond the one asked for, which must stay a valid date.
    re_path(r"^archief/(?P<year>[12][0-9]{3})/$", views.YearView.as_view(), name="archive_year"),
    re_path(
        r"^archief/(?P<year>[12][0-9]{3})/(?P<month>[0-9]{2})/$",
        views.MonthView.as_view(),
        name="archive_month",
    ),
    re_path(
        r"^archief/(?P<year>[12][0-9]{3})/(?P<month>[0-9]{2})/(?P<day>[0-9]{2})/$",
        views.DayView.as_view(),
        name="archive_day",
    ),
    path("zoeken/", views.SearchView.as_view(), name="search"),
    path("feed/", feeds.ArticleFeed("rss"), name="feed_rss"),
    path("feed/atom/", feeds.ArticleFeed("atom"), name="feed_atom"),
    path("feed/json/", feeds.ArticleFeed("json"), name="feed_json"),
    path("land/<slug:slug>/feed/", feeds.CountryFeed("rss"), name="country_feed_rss"),
    path("land/<slug:slug>/feed/atom/", feeds.CountryFeed("atom"), name="country_feed_atom"),
    path("land/<slug:slug>/feed/json/", feeds.CountryFeed("json"), name="country_feed_json"),
    path(
        "onderwerp/<slug:slug>/feed/",
        follow_topic_alias(feeds.TopicFeed("rss")),
        name="topic_feed_rss",
    ),
    path(
        "onderwerp/<slug:slug>/feed/atom/",
        follow_topic_alias(feeds.TopicFeed("atom")),
        name="topic_feed_atom",
    ),
    path(
        "onderwerp/<slug:slug>/feed/json/",
        follow_topic_alias(feeds.TopicFeed("json")),
        name="topic_feed_json",
    ),
]
