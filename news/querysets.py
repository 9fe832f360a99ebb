"""What a reader may see: the one definition, used by every page, feed and sidebar."""

from django.db import models
from django.utils import timezone

PUBLISHED = "published"


def published_q(now=None, prefix=""):
    """Return the Q object for published articles, for filters and aggregates."""
    return models.Q(
        **{f"{prefix}status": PUBLISHED, f"{prefix}published_at__lte": now or timezone.now()}
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_q(now))

    def for_listing(self):
        """Fetch what a teaser shows (place, countries, topics) in a fixed number of queries."""
        return self.select_related("country").prefetch_related("countries", "topics")

    def newest_first(self):
        return self.order_by("-published_at", "-pk")
