"""How many articles per tag and per period: front page links, filter links, the archive."""

from django.db.models import Count, DateField
from django.db.models.functions import Trunc


def tags_by_use(tag_model, articles, limit=None):
    """Return the `tag_model` tags on `articles`, each with its count `n`, most used first."""
    # Filtering before annotating makes Count see only the through rows of `articles`.
    tags = (
        tag_model.objects.filter(tagged_items__content_object__in=articles.values("pk"))
        .annotate(n=Count("tagged_items"))
        .order_by("-n", "name")
    )
    return tags[:limit] if limit else tags


def periods(articles, kind, descending=False):
    """Return [(date, count)] of `articles` per "year", "month" or "day", in local time."""
    # Trunc to a DateField converts to the current time zone first, as the date views do.
    return list(
        articles.prefetch_related(None)
        .annotate(period=Trunc("published_at", kind, output_field=DateField()))
        .values_list("period")
        .annotate(n=Count("pk"))
        .order_by("-period" if descending else "period")
    )
