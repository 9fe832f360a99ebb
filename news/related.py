"""The "Lees meer" sidebar: pinned articles, then related ones, topped up with the latest."""

import math

from django.db.models import Case, Count, F, FloatField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from .models import Article, CountryTag, PinnedArticle, TopicTag

LIMIT = 10
# A shared topic says more about relatedness than a shared country.
COUNTRY_WEIGHT = 1.0
TOPIC_WEIGHT = 2.0
# Relatedness halves for articles this many days apart.
HALF_LIFE_DAYS = 180
# How many candidates the database ranks by tags before time closeness re-ranks them.
POOL = 40


def lees_meer(article, limit=LIMIT):
    """Return up to `limit` published articles to show beside `article`, best first."""
    weights = _tag_weights(article)
    pool = list(
        Article.objects.published()
        .exclude(pk=article.pk)
        .annotate(
            pin_position=Subquery(
                PinnedArticle.objects.filter(article=article, pinned=OuterRef("pk")).values(
                    "position"
                )[:1]
            ),
            tag_score=_score(CountryTag, weights[CountryTag]) + _score(TopicTag, weights[TopicTag]),
        )
        .select_related("country")
        .order_by(F("pin_position").asc(nulls_last=True), "-tag_score", "-published_at", "-pk")[
            : limit + POOL
        ]
    )
    pinned = [a for a in pool if a.pin_position is not None]
    related = [a for a in pool if a.pin_position is None and a.tag_score > 0]
    latest = [a for a in pool if a.pin_position is None and a.tag_score <= 0]
    related.sort(key=lambda other: -_relatedness(article, other))
    return (pinned + related + latest)[:limit]


def _tag_weights(article):
    """Return {through model: {tag id: weight}}; a tag on fewer published articles weighs more."""
    kinds = {1: (CountryTag, COUNTRY_WEIGHT), 2: (TopicTag, TOPIC_WEIGHT)}
    counts = [
        through.objects.filter(
            tag__in=through.objects.filter(content_object=article).values("tag"),
            content_object__in=Article.objects.published(),
        )
        .values("tag")
        .annotate(n=Count("pk"), kind=Value(kind))
        .values_list("kind", "tag", "n")
        for kind, (through, _) in kinds.items()
    ]
    weights = {through: {} for through, _ in kinds.values()}
    for kind, tag, n in counts[0].union(counts[1], all=True):
        through, kind_weight = kinds[kind]
        weights[through][tag] = kind_weight / math.log2(1 + n)
    return weights


def _score(through, weights):
    """Return an expression: the summed weight of the tags an article shares via `through`."""
    if not weights:
        return Value(0.0, output_field=FloatField())
    shared = (
        through.objects.filter(content_object=OuterRef("pk"), tag__in=list(weights))
        .values("content_object")
        .annotate(
            total=Sum(
                Case(
                    *(When(tag=tag, then=Value(w)) for tag, w in weights.items()),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
        )
        .values("total")
    )
    return Coalesce(Subquery(shared, output_field=FloatField()), Value(0.0))


def _relatedness(article, other):
    if article.published_at is None or other.published_at is None:
        return other.tag_score
    days = abs((article.published_at - other.published_at).total_seconds()) / 86400
    return other.tag_score * 0.5 ** (days / HALF_LIFE_DAYS)
