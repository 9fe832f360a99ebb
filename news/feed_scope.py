"""What a feed is about: the whole site, a country, a topic, or a country narrowed to a topic.

One `FeedScope` gives pages, feeds and templates the same title, description, page URL
and feed URLs. A topic narrowed to a country is that country narrowed to the topic: the
same articles, with one URL, /land/<country>/?onderwerp=<topic>.
"""

from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from . import edge
from .feedgenerators import FORMATS
from .merging import TOPIC_PARAM
from .models import Country, Topic
from .text import fold
from .urlcache import reverse as cached_reverse

# The query parameter that narrows a topic's page to a country (answered with a 301).
COUNTRY_PARAM = "land"


class FeedLink(NamedTuple):
    format: str  # "rss", "atom", "json"
    name: str  # "RSS", "Atom", "JSON Feed"
    mime_type: str
    url: str


@dataclass(frozen=True)
class FeedScope:
    country: Country | None = None
    topic: Topic | None = None

    @classmethod
    def of(cls, *tags):
        """Return the scope of `tags`: countries and topics in any order, None left out."""
        country = next((tag for tag in tags if isinstance(tag, Country)), None)
        topic = next((tag for tag in tags if isinstance(tag, Topic)), None)
        return cls(country, topic)

    @property
    def tags(self):
        return tuple(tag for tag in (self.country, self.topic) if tag is not None)

    @property
    def edge_keys(self):
        """Return the keys (news/edge.py) of the list this scope names."""
        keys = [edge.country(self.country.pk)] if self.country else []
        keys += [edge.topic(self.topic.pk)] if self.topic else []
        return keys or ["feed"]

    @property
    def label(self):
        """Return "Marokko", "defensie" or "Marokko: defensie"; "" for the whole site."""
        return ": ".join(tag.name for tag in self.tags)

    @property
    def title(self):
        """Return "Marokko - <site name>"; the site's name for the whole site."""
        return f"{self.label} - {settings.SITE_NAME}" if self.tags else settings.SITE_NAME

    @property
    def description(self):
        if not self.tags:
            return settings.SITE_DESCRIPTION
        about = f"{self.topic.name} in {self.country.name}" if len(self.tags) > 1 else self.label
        return f"Het laatste nieuws over {about}, van {settings.SITE_NAME}."

    @property
    def query(self):
        return f"?{urlencode({TOPIC_PARAM: self.topic.slug})}" if len(self.tags) > 1 else ""

    @property
    def page_url(self):
        if not self.tags:
            return cached_reverse("news:front")
        return self.tags[0].get_absolute_url() + self.query

    def feed_url(self, format="rss"):
        if not self.tags:
            return cached_reverse(f"news:feed_{format}")
        tag = self.tags[0]
        kind = tag._meta.model_name  # "country" or "topic"
        return cached_reverse(f"news:{kind}_feed_{format}", kwargs={"slug": tag.slug}) + self.query

    @property
    def feeds(self):
        return [
            FeedLink(format, generator.name, generator.mime_type, self.feed_url(format))
            for format, generator in FORMATS.items()
        ]

    def articles(self, articles):
        """Return those of `articles` in this scope."""
        if self.country:
            articles = articles.filter(countries=self.country)
        if self.topic:
            articles = articles.filter(topics=self.topic)
        return articles


def redirect_to_country(request, topic_slug, view_name):
    """Answer 301 from a topic narrowed to a country (`?land=`) to that country narrowed to
    the topic, other query parameters kept; None when the request has no `?land=`.

    `view_name` is the country's page or feed: "news:country", "news:country_feed_rss", ...
    """
    country = request.GET.get(COUNTRY_PARAM)
    if not country:
        return None
    try:
        url = reverse(view_name, kwargs={"slug": country})
    except NoReverseMatch:
        raise Http404("Geen land") from None
    rest = [
        (name, value)
        for name, values in request.GET.lists()
        if name not in (COUNTRY_PARAM, TOPIC_PARAM)
        for value in values
    ]
    return HttpResponsePermanentRedirect(f"{url}?{urlencode([(TOPIC_PARAM, topic_slug), *rest])}")


def followed(tag_model, articles):
    """Return the tags of `tag_model` on `articles`, by name as a reader looks them up."""
    tags = tag_model.objects.filter(tagged_items__content_object__in=articles.values("pk"))
    # "Éthiopië" among the E's, "ijsland" beside "IJsland".
    return sorted(tags.distinct(), key=lambda tag: (fold(tag.name), tag.name))
