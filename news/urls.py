from django.urls import path, re_path

from . import feeds, preview, views
from .caching import cached_for_readers as cached
from .merging import follow_topic_alias

app_name = "news"


def topic_view(view):
    return cached(follow_topic_alias(view))


def country_view(view):
    return cached(follow_topic_alias(view, in_path=False))


# Four-digit years from 1000 to 2999: the date views step a year, month or day
# beyond the one asked for, which must stay a valid date.
YEAR = r"(?P<year>[12][0-9]{3})"
MONTH = r"(?P<month>[0-9]{2})"
DAY = r"(?P<day>[0-9]{2})"

urlpatterns = [
    path("", cached(views.FrontPageView.as_view()), name="front"),
    path(
        "artikel/<int:pk>-<slug:slug>/", cached(views.ArticleDetailView.as_view()), name="article"
    ),
    path("artikel/<int:pk>/", views.ArticleDetailView.as_view(), name="article_short"),
    path("voorbeeld/<int:pk>/", preview.article_preview, name="article_preview"),
    path("land/<slug:slug>/", country_view(views.CountryView.as_view()), name="country"),
    path("onderwerp/<slug:slug>/", topic_view(views.TopicView.as_view()), name="topic"),
    path("archief/", cached(views.ArchiveView.as_view()), name="archive"),
    re_path(rf"^archief/{YEAR}/$", cached(views.YearView.as_view()), name="archive_year"),
    re_path(rf"^archief/{YEAR}/{MONTH}/$", cached(views.MonthView.as_view()), name="archive_month"),
    re_path(
        rf"^archief/{YEAR}/{MONTH}/{DAY}/$", cached(views.DayView.as_view()), name="archive_day"
    ),
    path("zoeken/", views.SearchView.as_view(), name="search"),
    path("feed/", cached(feeds.ArticleFeed("rss")), name="feed_rss"),
    path("feed/atom/", cached(feeds.ArticleFeed("atom")), name="feed_atom"),
    path("feed/json/", cached(feeds.ArticleFeed("json")), name="feed_json"),
    path("land/<slug:slug>/feed/", country_view(feeds.CountryFeed("rss")), name="country_feed_rss"),
    path(
        "land/<slug:slug>/feed/atom/",
        country_view(feeds.CountryFeed("atom")),
        name="country_feed_atom",
    ),
    path(
        "land/<slug:slug>/feed/json/",
        country_view(feeds.CountryFeed("json")),
        name="country_feed_json",
    ),
    path("onderwerp/<slug:slug>/feed/", topic_view(feeds.TopicFeed("rss")), name="topic_feed_rss"),
    path(
        "onderwerp/<slug:slug>/feed/atom/",
        topic_view(feeds.TopicFeed("atom")),
        name="topic_feed_atom",
    ),
    path(
        "onderwerp/<slug:slug>/feed/json/",
        topic_view(feeds.TopicFeed("json")),
        name="topic_feed_json",
    ),
    path("volgen/", cached(views.FollowView.as_view()), name="follow"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Last: any other one-segment path is one of the editors' pages (/colofon/), or a 404.
    path("<slug:slug>/", cached(views.PageView.as_view()), name="page"),
]
