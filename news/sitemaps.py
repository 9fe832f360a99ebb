"""Sitemaps: every published article, the country and topic pages, and Google News."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from . import edge
from .caching import cached_for_readers
from .models import Article, Country, Page, Topic
from .querysets import published_q

NEWS_DAYS = 2


class ArticleSitemap(Sitemap):
    def items(self):
        return (
            Article.objects.published()
            .newest_first()
            .only("pk", "slug", "published_at", "updated_at")
        )

    def lastmod(self, article):
        # A scheduled article is saved before it appears.
        return max(article.updated_at, article.published_at)


class TagSitemap(Sitemap):
    """Pages of the countries or topics that have published articles."""

    tag_model = None

    def items(self):
        # Through the tag's own through model, so Max sees only published articles.
        return (
            self.tag_model.objects.annotate(
                latest=Max(
                    "tagged_items__content_object__published_at",
                    filter=published_q(prefix="tagged_items__content_object__"),
                )
            )
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, tag):
        return tag.latest


class CountrySitemap(TagSitemap):
    tag_model = Country


class TopicSitemap(TagSitemap):
    tag_model = Topic


class PageSitemap(Sitemap):
    def items(self):
        return ["news:front", "news:archive"]

    def location(self, name):
        return reverse(name)


class SitePageSitemap(Sitemap):
    """Over ons, Colofon, Contact, Privacy: the pages editors keep up in the admin."""

    def items(self):
        # A handful: a list spares the paginator's COUNT query.
        return list(Page.objects.only("slug", "updated_at").order_by("slug"))

    def lastmod(self, page):
        return page.updated_at


class GoogleNewsSitemap(Sitemap):
    """Articles of the last two days, with the title and date Google News asks for."""

    limit = 1000  # Google News reads at most 1,000 URLs per sitemap.

    def items(self):
        since = timezone.now() - timedelta(days=NEWS_DAYS)
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .newest_first()
            .only("pk", "slug", "title", "published_at")
        )

    def lastmod(self, article):
        return article.published_at


sitemaps = {
    "pages": PageSitemap,
    "articles": ArticleSitemap,
    "countries": CountrySitemap,
    "topics": TopicSitemap,
    "site-pages": SitePageSitemap,
}
news_sitemaps = {"news": GoogleNewsSitemap}


@cached_for_readers
def sitemap_view(request, **kwargs):
    """Django's sitemap view, kept for readers (and crawlers) like the pages it lists, and
    purged at the edge with any article's change."""
    edge.shows("sitemap")
    return sitemap(request, **kwargs)
