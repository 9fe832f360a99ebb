"""Feeds for subscribers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the site, a country or a topic.

A feed's scope is a tuple of tags: () for the whole site, (country,), (country, topic) or
(topic,). Each feed answers conditional GETs from one small query over its own items.
"""

import hashlib
from copy import copy
from datetime import UTC

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseNotAllowed
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.feedgenerator import Enclosure, Stylesheet
from django.utils.html import escape, format_html
from django.utils.http import http_date, urlencode

from . import images
from .feedgenerators import AtomFeed, JsonFeed, RssFeed
from .merging import TOPIC_PARAM
from .models import Article, Country, Topic

FORMATS = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
LIMIT = 30
MAX_AGE = 300
MANAGERS = {Country: "countries", Topic: "topics"}


def label(tags):
    return ": ".join(tag.name for tag in tags)


def feed_title(tags):
    """Return "Marokko - <site name>" for a country's feed; the site's name for the site's."""
    return f"{label(tags)} - {settings.SITE_NAME}" if tags else settings.SITE_NAME


def query(tags):
    # A country narrowed to a topic, as its page is: /land/marokko/?onderwerp=defensie
    return "?" + urlencode({TOPIC_PARAM: tags[1].slug}) if len(tags) > 1 else ""


def feed_path(tags, format="rss"):
    """Return the path of the feed of `tags` (see the module docstring) in `format`."""
    if not tags:
        return reverse(f"news:feed_{format}")
    kind = tags[0]._meta.model_name  # "country" or "topic"
    return reverse(f"news:{kind}_feed_{format}", kwargs={"slug": tags[0].slug}) + query(tags)


class ArticleFeed(Feed):
    """The latest published articles of the whole site, in the format given to the URLconf."""

    language = "nl"
    item_guid_is_permalink = False

    def __init__(self, format="rss"):
        self.format, self.feed_type = format, FORMATS[format]

    def __call__(self, request, *args, **kwargs):
        # The URLconf shares one instance between requests: answer on a copy that knows its own.
        return copy(self).respond(request, *args, **kwargs)

    def respond(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        self.request, self.now = request, timezone.now()
        tags = self.get_object(request, *args, **kwargs)
        etag, last_modified = self.validators(tags)
        seconds = last_modified and int(last_modified.timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=seconds)
        if response is None:
            feed = self.get_feed(tags, request)
            # Written into the response in one piece: written piece by piece, a feed goes
            # out in some 1,600 small writes, one system call each.
            response = HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)
        response.headers["ETag"] = etag
        if seconds:
            response.headers["Last-Modified"] = http_date(seconds)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    def validators(self, tags):
        """Return the ETag and Last-Modified time of this feed, from its own items, in one query."""
        rows = self.articles(tags).values_list("pk", "updated_at", "published_at")[:LIMIT]
        rows = [(pk, max(updated, published)) for pk, updated, published in rows]
        # Links are absolute: the same items on another host are another representation.
        channel = (self.request.scheme, self.request.get_host(), self.title(tags))
        key = repr((self.feed_type.__name__, channel, self.description(tags), rows))
        etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
        return etag, max((changed for _, changed in rows), default=None)

    def articles(self, tags):
        """Return the published articles in this feed's scope, newest first."""
        articles = Article.objects.published(self.now).newest_first()
        for tag in tags:
            articles = articles.filter(**{MANAGERS[type(tag)]: tag})
        return articles

    def get_object(self, request):
        return ()

    def items(self, tags):
        return self.articles(tags).for_listing()[:LIMIT]

    # The channel.

    def title(self, tags):
        return feed_title(tags)

    def description(self, tags):
        if not tags:
            return settings.SITE_DESCRIPTION
        about = f"{tags[1].name} in {tags[0].name}" if len(tags) > 1 else tags[0].name
        return f"Het laatste nieuws over {about}, van {settings.SITE_NAME}."

    subtitle = description  # Atom's name for it

    def link(self, tags):
        return tags[0].get_absolute_url() + query(tags) if tags else reverse("news:front")

    def feed_url(self, tags):
        return feed_path(tags, self.format)

    def author_name(self):
        return settings.SITE_NAME

    def stylesheets(self):
        return [Stylesheet(static("feeds/feed.xsl.xml"), mimetype="text/xsl")]

    # The items.

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return escape(article.lead)

    def item_extra_kwargs(self, article):
        # The whole article, as on its page: the lead, then the body.
        return {"content": format_html("<p>{}</p>", article.lead) + article.body_html}

    def item_guid(self, article):
        """Return a tag URI that survives edits to the title and slug."""
        authority = getattr(settings, "FEED_TAG_AUTHORITY", "")
        authority = authority or split_domain_port(self.request.get_host())[0]
        created = article.created_at.astimezone(UTC)
        return f"tag:{authority},{created:%Y-%m-%d}:artikel/{article.pk}"

    def item_author_name(self, article):
        return article.byline or None

    def item_pubdate(self, article):
        return timezone.localtime(article.published_at)

    def item_updateddate(self, article):
        # A scheduled article may have been edited before it appeared.
        return timezone.localtime(max(article.updated_at, article.published_at))

    def item_categories(self, article):
        # The prefetched .all(), sorted here: databases return it in different orders.
        tags = [*article.country_list, *article.topic_list]
        tags.sort(key=lambda tag: (type(tag) is Topic, tag.name.lower()))
        return [tag.name for tag in tags]

    def item_enclosures(self, article):
        """Return the lead image, a JPEG rendition, as an enclosure; nothing without one."""
        # Its stored size: a feed opens no file.
        rendition = images.share(article.image_renditions, images.FULL)
        if not rendition:
            return []
        url = self.request.build_absolute_uri(images.url(rendition))
        return [Enclosure(url, str(rendition["size"]), images.MIME_TYPES[rendition["format"]])]


class CountryFeed(ArticleFeed):
    """A country's articles; `?onderwerp=<slug>` narrows them to one topic, as on its page."""

    def get_object(self, request, slug):
        country = get_object_or_404(Country, slug=slug)
        topic = request.GET.get(TOPIC_PARAM)
        return (country, get_object_or_404(Topic, slug=topic)) if topic else (country,)


class TopicFeed(ArticleFeed):
    """A topic's articles."""

    def get_object(self, request, slug):
        return (get_object_or_404(Topic, slug=slug),)
