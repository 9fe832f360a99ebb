"""Feeds for subscribers: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the site, a country or a topic.

A feed's object is its FeedScope (news.feed_scope). Each feed answers conditional GETs from
one small query over its own items.
"""

import hashlib
from copy import copy
from datetime import UTC
from html import escape

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseNotAllowed
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.feedgenerator import Enclosure
from django.utils.html import format_html
from django.utils.http import http_date

from . import edge, images, render_cache
from .body import for_feed
from .caching import render_counters
from .feed_scope import FeedScope, redirect_to_country
from .feedgenerators import FORMATS
from .merging import TOPIC_PARAM
from .models import Article, Country, Topic

LIMIT = 30
MAX_AGE = 300
# The site's icon (square, at most 144 px for RSS), a larger one for JSON Feed, the logo.
ICON = ("img/icon-144.png", 144, 144)
LARGE_ICON = "img/icon-512.png"
LOGO = "img/logo.png"


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
        scope = self.get_object(request, *args, **kwargs)
        etag, last_modified = self.validators(scope)
        seconds = last_modified and int(last_modified.timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=seconds)
        if response is None:
            # The ETag names all the feed shows: its render is kept under it.
            response = render_cache.respond(
                request,
                render_cache.digest(request, (), (etag,)),
                lambda: self.render(scope, request),
            )
        response.headers["ETag"] = etag
        if seconds:
            response.headers["Last-Modified"] = http_date(seconds)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    def render(self, scope, request):
        feed = self.get_feed(scope, request)
        # Written into the response in one piece: written piece by piece, a feed goes out in
        # some 1,600 small writes, one system call each.
        return HttpResponse(feed.writeString("utf-8"), content_type=feed.content_type)

    def validators(self, scope):
        """Return the ETag and Last-Modified time of this feed, from its own items, in one
        query, and the vocabulary version (what their categories are called)."""
        rows = self.articles(scope).values_list("pk", "updated_at", "published_at")[:LIMIT]
        rows = [(pk, max(updated, published)) for pk, updated, published in rows]
        edge.shows(scope.edge_keys)
        edge.shows_articles(pk for pk, _ in rows)
        # Links are absolute: the same items on another host are another representation.
        channel = (self.request.scheme, self.request.get_host(), scope.title, static(ICON[0]))
        # Which tags an item has changes with its updated_at (the newsroom saves both);
        # what they are called does not, and a feed reader must not keep old names on a 304.
        vocabulary = render_counters()[0]
        key = repr((self.feed_type.__name__, channel, scope.description, rows, vocabulary))
        etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
        return etag, max((changed for _, changed in rows), default=None)

    def articles(self, scope):
        """Return the published articles in this feed's scope, newest first."""
        return scope.articles(Article.objects.published(self.now).newest_first())

    def get_object(self, request):
        return FeedScope()

    def items(self, scope):
        return self.articles(scope).for_listing()[:LIMIT]

    def absolute(self, url):
        return self.request.build_absolute_uri(url)

    # The channel.

    def title(self, scope):
        return scope.title

    def description(self, scope):
        return scope.description

    subtitle = description  # Atom's name for it

    def link(self, scope):
        return scope.page_url

    def feed_url(self, scope):
        return scope.feed_url(self.format)

    def author_name(self):
        return settings.SITE_NAME

    def feed_extra_kwargs(self, scope):
        path, width, height = ICON
        return {
            "image": {"url": self.absolute(static(path)), "width": width, "height": height},
            "icon": self.absolute(static(LARGE_ICON)),
            "logo": self.absolute(static(LOGO)),
            "follow_url": self.absolute(reverse("news:follow")),
        }

    # The items.

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        # HTML, as RSS has it: the lead's text, escaped once.
        return escape(article.lead, quote=False)

    def item_extra_kwargs(self, article):
        # The whole article, as on its page: the lead image, the lead, then the body.
        rendition = self.lead_image(article)
        if not rendition:
            image, picture = None, ""
        else:
            image = self.absolute(rendition["url"])
            picture = format_html(
                '<p><img src="{}" alt="{}" width="{}" height="{}"></p>',
                image,
                article.lead_image.alt,
                rendition["width"],
                rendition["height"],
            )
        lead = f"<p>{escape(article.lead, quote=False)}</p>"
        body = for_feed(article.body_html, self.absolute("/"))
        return {"content": picture + lead + body, "image": image}

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

    def lead_image(self, article):
        """Return the lead image's JPEG rendition of about 1200 px (with its "url"), or None
        without an image; while renditions are being made, its cleaned original."""
        return article.lead_image.share(images.FULL) if article.lead_image_id else None

    def item_enclosures(self, article):
        """Return the lead image as an enclosure; nothing without one."""
        # Its stored size: a feed opens no file.
        rendition = self.lead_image(article)
        if not rendition:
            return []
        url = self.absolute(rendition["url"])
        size = rendition["size"]
        if size is None:  # the original, until the renditions exist: ask the storage once
            size = article.lead_image.file.size
        mime_type = f"image/{rendition['format']}"
        return [Enclosure(url, str(size), images.MIME_TYPES.get(rendition["format"], mime_type))]


class CountryFeed(ArticleFeed):
    """A country's articles; `?onderwerp=<slug>` narrows them to one topic, as on its page."""

    def get_object(self, request, slug):
        country = get_object_or_404(Country, slug=slug)
        topic = request.GET.get(TOPIC_PARAM)
        return FeedScope(country, get_object_or_404(Topic, slug=topic) if topic else None)


class TopicFeed(ArticleFeed):
    """A topic's articles; `?land=<slug>` answers 301 to that country's feed narrowed to it."""

    def respond(self, request, slug):
        redirect = redirect_to_country(request, slug, f"news:country_feed_{self.format}")
        return redirect or super().respond(request, slug)

    def get_object(self, request, slug):
        return FeedScope(topic=get_object_or_404(Topic, slug=slug))
