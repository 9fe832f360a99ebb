"""What a reader may see: the one definition, used by every page, feed and sidebar."""

from django.db import models
from django.utils import timezone


class State(models.TextChoices):
    """Where an article stands for readers. Only DRAFT and PUBLISHED are stored (`status`);
    SCHEDULED and EXPIRED are PUBLISHED before `published_at` and after `unpublish_at`."""

    DRAFT = "draft", "Concept"
    SCHEDULED = "scheduled", "Gepland"
    PUBLISHED = "published", "Gepubliceerd"
    EXPIRED = "expired", "Verlopen"


STORED_STATES = [(s.value, s.label) for s in (State.DRAFT, State.PUBLISHED)]
PUBLISHED, DRAFT = State.PUBLISHED.value, State.DRAFT.value


def published_q(now=None, prefix=""):
    """Return the Q object for published articles, for filters and aggregates."""
    now = now or timezone.now()
    return models.Q(**{f"{prefix}status": PUBLISHED, f"{prefix}published_at__lte": now}) & (
        models.Q(**{f"{prefix}unpublish_at__isnull": True})
        | models.Q(**{f"{prefix}unpublish_at__gt": now})
    )


def state_of(status, published_at, unpublish_at, now):
    """Return the State of an article with these fields at `now` (as published_q says)."""
    if status != PUBLISHED:
        return State.DRAFT
    if published_at and published_at > now:
        return State.SCHEDULED
    if unpublish_at and unpublish_at <= now:
        return State.EXPIRED
    return State.PUBLISHED


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_q(now))

    def drafts(self):
        return self.filter(status=DRAFT)

    def scheduled(self, now=None):
        return self.filter(status=PUBLISHED, published_at__gt=now or timezone.now())

    def expired(self, now=None):
        return self.filter(status=PUBLISHED, unpublish_at__lte=now or timezone.now())

    def in_state(self, state, now=None):
        """Return the articles in `state` (a State) at `now`."""
        return {
            State.DRAFT: lambda: self.drafts(),
            State.SCHEDULED: lambda: self.scheduled(now),
            State.PUBLISHED: lambda: self.published(now),
            State.EXPIRED: lambda: self.expired(now),
        }[State(state)]()

    def for_listing(self):
        """Fetch what a teaser shows (place, countries, topics) in a fixed number of queries."""
        # Into plain lists (Article.country_list, .topic_list): prefetched into the tag
        # managers, taggit builds a filtered queryset per article and manager that is never
        # run, which cost more than the rest of a feed.
        return self.select_related("country", "lead_image").prefetch_related(
            models.Prefetch("countries", to_attr="prefetched_countries"),
            models.Prefetch("topics", to_attr="prefetched_topics"),
        )

    def for_teasers(self):
        """Fetch what a teaser shows (news/includes/teaser.html: its place and image, no
        tags) in the same query; the text is left for the article's own page."""
        return self.select_related("country", "lead_image").defer("body", "body_html")

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def next_change(self, now=None):
        """Return the next moment an article appears or disappears, or None."""
        now = now or timezone.now()
        # Only the few scheduled or ending articles match; each term has an index.
        pending = self.filter(
            models.Q(published_at__gt=now) | models.Q(unpublish_at__gt=now), status=PUBLISHED
        )
        times = pending.aggregate(
            starts=models.Min("published_at", filter=models.Q(published_at__gt=now)),
            ends=models.Min("unpublish_at", filter=models.Q(unpublish_at__gt=now)),
        )
        return min((t for t in times.values() if t), default=None)
