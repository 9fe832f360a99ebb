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
    return most_used((tag_model,), articles, limit, key)[0]


def most_used(tag_models, articles, limit, key):
    """Return tags_by_use() for each of `tag_models`, looked up in the cache together."""
    keys = [f"news:tags-by-use:{model._meta.model_name}:{key}:{limit}" for model in tag_models]
    found = cache.get_many(keys)
    missing = {}
    for model, cache_key in zip(tag_models, keys, strict=True):
        if cache_key not in found:
            # Filtering before annotating makes Count see only the through rows of `articles`.
            found[cache_key] = missing[cache_key] = list(
                model.objects.filter(tagged_items__content_object__in=articles.values("pk"))
                .annotate(n=Count("tagged_items"))
                .order_by("-n", "name")[:limit]
            )
    if missing:
        cache.set_many(missing, POPULARITY_SECONDS)
    return [found[cache_key] for cache_key in keys]


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
