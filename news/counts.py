"""How many articles per tag and per period: front page links, filter links, the archive."""

from django.core.cache import cache
from django.db.models import Count, DateField
from django.db.models.functions import Trunc

# Which tags are used most changes slowly, and counting them takes time in proportion
# to the number of articles: the lists are counted again after this many seconds,
# not at every edit.
POPULARITY_SECONDS = 600


def tags_by_use(tag_model, articles, limit, key):
    """Return the `limit` `tag_model` tags most used on `articles`, each with its count `n`.

    `key` names the list in the cache (e.g. "front:countries").
    """
    cache_key = f"news:tags-by-use:{tag_model._meta.model_name}:{key}:{limit}"
    tags = cache.get(cache_key)
    if tags is None:
        # Filtering before annotating makes Count see only the through rows of `articles`.
        tags = list(
            tag_model.objects.filter(tagged_items__content_object__in=articles.values("pk"))
            .annotate(n=Count("tagged_items"))
            .order_by("-n", "name")[:limit]
        )
        cache.set(cache_key, tags, POPULARITY_SECONDS)
    return tags


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
