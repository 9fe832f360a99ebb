"""The front page's sidebar: the latest headlines of the most used countries."""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import Article, CountryTag
from .querysets import published_q

COUNTRIES = 3
HEADLINES = 4
# Headlines come from this many of the newest articles: the work stays the same however
# many articles a country has (a row number over all of Morocco's would not).
RECENT = 200


def latest_by_country(countries, per_country=HEADLINES):
    """Return [(country, [articles])] of the newest `per_country` published articles of each
    of `countries`, in their order; countries without recent articles are left out. One query.
    """
    if not countries:
        return []
    recent = Article.objects.published().newest_first().values("pk")[:RECENT]
    rows = (
        CountryTag.objects.filter(
            published_q(prefix="content_object__"),
            tag__in=countries,
            content_object__in=recent,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("tag_id"),
                order_by=(F("content_object__published_at").desc(), F("content_object_id").desc()),
            )
        )
        .filter(rank__lte=per_country)
        .select_related("content_object")
        .only(
            "tag_id",
            "content_object__id",
            "content_object__slug",
            "content_object__title",
            "content_object__published_at",
        )
        .order_by("tag_id", "rank")
    )
    found = {}
    for row in rows:
        found.setdefault(row.tag_id, []).append(row.content_object)
    return [(country, found[country.pk]) for country in countries if country.pk in found]
