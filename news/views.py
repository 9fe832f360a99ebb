"""Reader pages. Every queryset starts from Article.objects.published()."""

import functools
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template import loader
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import (
    ArchiveIndexView,
    DayArchiveView,
    DetailView,
    ListView,
    MonthArchiveView,
    TemplateView,
    YearArchiveView,
)

from . import article_head, counts, edge, related, render_cache, sidebar
from .caching import CachedCountPaginator, cached_fact
from .feed_scope import COUNTRY_PARAM, FeedScope, followed, redirect_to_country
from .merging import TOPIC_PARAM
from .models import Article, Country, Page, Topic
from .search import SearchForm, search

# What the database raises when it cannot be reached (down, restarted, file gone).
DATABASE_GONE = (OperationalError, InterfaceError)
PAGE_SIZE = 20
# Countries and topics linked from the front page, and offered as filters.
TAG_LINKS = 12
SERVER_ERROR_FALLBACK = (
    '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Er ging iets mis</title>'
    "<h1>Er ging iets mis</h1><p>Probeer het over een paar minuten opnieuw.</p></html>"
)


class CachedCountMixin:
    """Count a list's articles once per content change, not at every render."""

    def list_params(self):
        """Return the query parameters that choose which articles the list holds."""
        return ()

    def get_paginator(self, queryset, per_page, **kwargs):
        # Only those: any other parameter (utm_source, fbclid) would be counted again.
        params = [(name, self.request.GET.get(name)) for name in self.list_params()]
        key = f"{self.request.path}?{params}"
        return CachedCountPaginator(queryset, per_page, count_key=key, **kwargs)


class PublishedArticlesMixin(CachedCountMixin):
    """Published articles, newest first, with what their teasers show.

    A page of the list is chosen by its articles' ids and `updated_at` first: with the
    counts and tags the page shows (`shown()`), they name its render (news/render_cache.py).
    Only when that render is not kept are the page's articles loaded, in one query.
    """

    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().newest_first()

    def shown(self):
        """Return what the page shows besides its articles, to name its render (and name
        it for the edge: news/edge.py)."""
        return ()

    def get(self, request, *args, **kwargs):
        self.object_list = self.get_queryset()
        stamps = self.object_list.values_list("pk", "updated_at")
        self.chosen = paginator, page, _, _ = super().paginate_queryset(stamps, self.paginate_by)
        page.object_list = list(page.object_list)
        inputs = (page.number, paginator.count, page.object_list, self.shown())
        edge.shows_articles(pk for pk, _ in page.object_list)
        return render_cache.respond(
            request,
            render_cache.digest(request, self.list_params(), inputs),
            lambda: self.render_to_response(self.get_context_data()),
        )

    def paginate_queryset(self, queryset, page_size):
        # The page was chosen in get(), by its articles' stamps: load those articles now.
        paginator, page, stamps, is_paginated = self.chosen
        found = Article.objects.for_teasers().in_bulk([pk for pk, _ in stamps])
        page.object_list = [found[pk] for pk, _ in stamps if pk in found]
        return paginator, page, page.object_list, is_paginated


def tag_names(tags):
    """Name a list of tags as a page shows them: name, link and count (if counted)."""
    return [(tag.pk, tag.name, tag.slug, getattr(tag, "n", None)) for tag in tags]


class FrontPageView(PublishedArticlesMixin, ListView):
    template_name = "news/front_page.html"

    def shown(self):
        published = Article.objects.published()
        self.top_countries, self.top_topics = counts.most_used(
            (Country, Topic), published, TAG_LINKS, "front"
        )
        # Its headlines are what the sidebar shows: read once per content version, as the
        # counts are, since the render it saves is only worth a query or two.
        shown_countries = self.top_countries[: sidebar.COUNTRIES]
        self.country_headlines = cached_fact(
            f"sidebar:{[country.pk for country in shown_countries]}",
            lambda: sidebar.latest_by_country(shown_countries),
        )
        edge.shows("front")
        edge.shows_articles(a.pk for _, headlines in self.country_headlines for a in headlines)
        return (
            tag_names(self.top_countries),
            tag_names(self.top_topics),
            [
                (country.pk, [(a.pk, a.slug, a.title, a.published_at) for a in headlines])
                for country, headlines in self.country_headlines
            ],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            top_countries=self.top_countries,
            top_topics=self.top_topics,
            country_headlines=self.country_headlines,
            **kwargs,
        )
        articles = list(context["object_list"])
        if context["page_obj"].number == 1 and articles:
            context["top_story"] = lead_story(articles)
            articles.remove(context["top_story"])
        context["latest"] = articles
        return context


def lead_story(articles):
    """Return the story that leads the front page: the newest of `articles` with an image.

    A lead without a picture makes a grey front page; the newer stories without one head
    the list right below it. Without any image among them, the newest leads.
    """
    return next((a for a in articles if a.image_renditions), articles[0])


class TaggedArticlesView(PublishedArticlesMixin, ListView):
    """Articles of one country or topic, optionally narrowed to one tag of the other kind.

    `tag_model`/`manager` name the page's vocabulary, `filter_*` the other one.
    """

    template_name = "news/tag_detail.html"
    tag_model = manager = None
    filter_model = filter_manager = filter_param = None

    def list_params(self):
        return (self.filter_param,)

    def get_queryset(self):
        self.tag = get_object_or_404(self.tag_model, slug=self.kwargs["slug"])
        slug = self.request.GET.get(self.filter_param)
        self.filter_tag = get_object_or_404(self.filter_model, slug=slug) if slug else None
        articles = super().get_queryset().filter(**{self.manager: self.tag})
        if self.filter_tag:
            articles = articles.filter(**{self.filter_manager: self.filter_tag})
        return articles

    def shown(self):
        # Offered filters come from all of the tag's articles, not the filtered few.
        tagged = Article.objects.published().filter(**{self.manager: self.tag})
        self.filters = counts.tags_by_use(
            self.filter_model, tagged, TAG_LINKS, f"{self.manager}:{self.tag.pk}"
        )
        edge.shows(FeedScope.of(self.tag, self.filter_tag).edge_keys)
        return (
            tag_names([self.tag]),
            self.filter_tag and tag_names([self.filter_tag]),
            tag_names(self.filters),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tag=self.tag,
            kind=self.tag_model._meta.verbose_name,
            filter_tag=self.filter_tag,
            filter_kind=self.filter_model._meta.verbose_name_plural,
            # Each offered filter with the one URL of its selection.
            filters=[(choice, FeedScope.of(self.tag, choice).page_url) for choice in self.filters],
            feed_scope=FeedScope.of(self.tag, self.filter_tag),
            **kwargs,
        )


class CountryView(TaggedArticlesView):
    tag_model, manager = Country, "countries"
    filter_model, filter_manager, filter_param = Topic, "topics", TOPIC_PARAM


class TopicView(TaggedArticlesView):
    tag_model, manager = Topic, "topics"
    filter_model, filter_manager, filter_param = Country, "countries", COUNTRY_PARAM

    def get(self, request, *args, **kwargs):
        # A topic narrowed to a country lives at the country's URL (/land/marokko/?onderwerp=).
        redirect = redirect_to_country(request, kwargs["slug"], "news:country")
        return redirect or super().get(request, *args, **kwargs)


class FollowView(TemplateView):
    """The site's feeds, and those of every country and topic with published articles."""

    template_name = "news/follow.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        edge.shows("follow")
        return super().get_context_data(
            site_scope=FeedScope(),
            country_scopes=[FeedScope(country=c) for c in followed(Country, published)],
            topic_scopes=[FeedScope(topic=t) for t in followed(Topic, published)],
            **kwargs,
        )


# The browsers' and feed readers' /favicon.ico: it changes hardly ever, and costs no query.
FAVICON = "img/favicon.ico"
FAVICON_SECONDS = 30 * 24 * 3600


@functools.cache
def _favicon_bytes():
    return Path(finders.find(FAVICON)).read_bytes()


def favicon(request):
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    patch_cache_control(response, public=True, max_age=FAVICON_SECONDS)
    return response


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.published().select_related("country", "lead_image")

    def get(self, request, *args, **kwargs):
        # Named by its head (the article's row, place and tags) and its Lees meer, in two
        # queries; the article itself is loaded only for a render.
        head = article_head.head(self.kwargs["pk"])
        if head is None or not head.is_published:
            raise Http404("Geen artikel gevonden.")
        if self.kwargs.get("slug") != head.slug:
            return HttpResponsePermanentRedirect(head.get_absolute_url())
        chosen = related.choose(head)
        edge.shows(edge.article(head.pk))
        edge.shows_articles(pk for pk, _ in chosen)
        inputs = (
            head.pk,
            head.updated_at,
            head.country.name if head.country_id else "",
            [(t.pk, t.name, t.slug) for t in (*head.country_list, *head.topic_list)],
            chosen,
        )
        return render_cache.respond(
            request,
            render_cache.digest(request, (), inputs),
            lambda: self.render_article(head, chosen),
        )

    def render_article(self, head, chosen):
        self.object = article = self.get_object()
        article.prefetched_countries = head.country_list
        article.prefetched_topics = head.topic_list
        return self.render_to_response(
            self.get_context_data(object=article, lees_meer=related.load(chosen))
        )


class PageView(DetailView):
    """Over ons, Colofon, Contact, Privacy: the pages editors keep up in the admin."""

    model = Page
    template_name = "news/page.html"


class ArchiveMixin(CachedCountMixin):
    """Published articles by local date; a date without articles is a 404."""

    date_field = "published_at"
    month_format = "%m"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        # Without for_listing: the date views also fetch single articles to find
        # the previous and next dates with news.
        # The index: "archive" (any change); a year, month or day: its own.
        parts = [self.kwargs[name] for name in ("year", "month", "day") if name in self.kwargs]
        edge.shows(edge.archive_page(*parts))
        return Article.objects.published().newest_first()

    def paginate_queryset(self, queryset, page_size):
        paginated = super().paginate_queryset(queryset.for_listing(), page_size)
        edge.shows_articles(article.pk for article in paginated[2])
        return paginated

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """Return (date, number of articles) pairs where Django returns bare dates."""
        # An empty date is already a 404: get_dated_queryset checks for articles first.
        date_type = date_type or self.get_date_list_period()
        return counts.periods(queryset, date_type, descending=ordering == "DESC")


class ArchiveView(ArchiveMixin, ArchiveIndexView):
    """The years with news; the latest articles are on the front page."""

    template_name = "news/archive.html"
    allow_empty = True
    paginate_by = None


class YearView(ArchiveMixin, YearArchiveView):
    """The months of a year with news; the articles are on the month pages."""

    template_name = "news/archive_year.html"
    paginate_by = None


class MonthView(ArchiveMixin, MonthArchiveView):
    template_name = "news/archive_month.html"


class DayView(ArchiveMixin, DayArchiveView):
    template_name = "news/archive_day.html"


class SearchView(CachedCountMixin, ListView):
    template_name = "news/search.html"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        self.query = self.form.cleaned_data["q"] if self.form.is_valid() else ""
        articles = Article.objects.published()
        if not self.query:
            return articles.none()
        return search(articles, self.query).for_listing()

    def list_params(self):
        return ("q",)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, query=self.query, **kwargs)


# How long a reader or a feed reader should wait before trying again when the database
# does not answer.
RETRY_AFTER_SECONDS = 60


@requires_csrf_token
def server_error(request):
    """Render 500.html without context processors: the database may be what failed.

    When it is (no connection), answer 503 with Retry-After: the page will be back.
    """
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_DESCRIPTION": settings.SITE_DESCRIPTION}
    unavailable = isinstance(sys.exc_info()[1], DATABASE_GONE)
    template, status = ("503.html", 503) if unavailable else ("500.html", 500)
    try:
        body = loader.get_template(template).render(context)
    except Exception:
        # What broke the page may break the layout too (a missing static file).
        body = SERVER_ERROR_FALLBACK
    response = HttpResponse(body, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
