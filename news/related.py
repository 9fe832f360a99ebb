"""The "Lees meer" sidebar: pinned articles, then related ones, topped up with the latest.

Related means sharing countries and topics (a topic weighs more than a country, a
rare tag more than a common one) and being close in time. The work stays the same
whatever the number of articles: for each of the article's tags only its nearest
articles are candidates, and tag rarity comes from the cache.
"""

import math

from django.core.cache import cache
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from .models import Article, CountryTag, PinnedArticle, TopicTag
from .querysets import published_q

LIMIT = 10
# A shared topic says more about relatedness than a shared country.
KINDS = {"land": (CountryTag, 1.0), "onderwerp": (TopicTag, 2.0)}
# Relatedness halves for articles this many days apart.
HALF_LIFE_DAYS = 180
# Candidates per tag, on each side of the article (drafts among them drop out).
NEIGHBOURS = 15
# At most this many of the article's tags look for candidates.
MAX_TAGS = 12
# Tag rarity changes slowly; it is counted again after this many seconds.
COUNT_SECONDS = 3600


def lees_meer(article, limit=LIMIT):
    """Return up to `limit` published articles to show beside `article`, best first."""
    tags = _tags_of(article)
    weights = _weights(tags)
    pool = [
        candidate
        # Filtering on published_q() in WHERE can lead a planner without statistics
        # to scan the date index of every article; as a column it is read per
        # candidate, found by primary key.
        for candidate in Article.objects.filter(pk__in=_candidate_ids(article, tags, limit))
        .annotate(
            visible=ExpressionWrapper(published_q(), output_field=BooleanField()),
            pin_position=Subquery(
                PinnedArticle.objects.filter(article=article, pinned=OuterRef("pk")).values(
                    "position"
                )[:1]
            ),
            tag_score=sum(
                (_score(through, weights[kind]) for kind, (through, _) in KINDS.items()),
                Value(0.0),
            ),
        )
        .select_related("country")
        .order_by(F("pin_position").asc(nulls_last=True), "-published_at", "-pk")
        if candidate.visible
    ]
    pinned = [a for a in pool if a.pin_position is not None]
    related = [a for a in pool if a.pin_position is None and a.tag_score > 0]
    latest = [a for a in pool if a.pin_position is None and a.tag_score <= 0]
    related.sort(key=lambda other: -_relatedness(article, other))
    return (pinned + related + latest)[:limit]


def _tags_of(article):
    """Return {kind: [tag ids]} from the article's (usually prefetched) tags."""
    return {
        "land": sorted(c.pk for c in article.countries.all()),
        "onderwerp": sorted(t.pk for t in article.topics.all()),
    }


def _candidate_ids(article, tags, limit):
    """Return ids of the pinned articles, each tag's neighbours, and the latest articles.

    A tag's neighbours are the articles with that tag just before and after this one
    in id order, which follows the order articles were written in: read straight from
    the (tag, article) index, however common or rare the tag and however many
    articles there are. Their publication times rank them afterwards.
    One UNION ALL of small LIMIT queries (Django cannot union sliced querysets on
    SQLite, so the compiled parts are joined here, each wrapped as a subquery).
    """
    parts = [
        PinnedArticle.objects.filter(article=article).values("pinned_id"),
        Article.objects.published().order_by("-published_at").values("pk")[: limit + 1],
    ]
    chosen = [(kind, tag) for kind, ids in tags.items() for tag in ids][:MAX_TAGS]
    for kind, tag in chosen:
        tagged = KINDS[kind][0].objects.filter(tag=tag)
        before = tagged.filter(content_object__lt=article.pk).order_by("-content_object")
        after = tagged.filter(content_object__gt=article.pk).order_by("content_object")
        parts += [q.values("content_object")[:NEIGHBOURS] for q in (before, after)]
    sql, params = [], []
    for part in parts:
        part_sql, part_params = part.query.sql_with_params()
        sql.append(f"SELECT * FROM ({part_sql}) AS part_{len(sql)}")
        params.extend(part_params)
    with connections[Article.objects.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        return {row[0] for row in cursor.fetchall()} - {article.pk}


def _weights(tags):
    """Return {kind: {tag id: weight}}; a tag on fewer articles weighs more."""
    keys = {
        f"news:tag-count:{kind}:{tag}": (kind, tag) for kind, ids in tags.items() for tag in ids
    }
    counts = cache.get_many(list(keys))
    missing = [key for key in keys if key not in counts]
    if missing:
        counts.update(_count(keys[key] for key in missing))
    weights = {kind: {} for kind in KINDS}
    for key, (kind, tag) in keys.items():
        weights[kind][tag] = KINDS[kind][1] / math.log2(1 + max(counts.get(key, 1), 1))
    return weights


def _count(tags):
    """Count the articles of each (kind, tag id) in one query; cache and return the counts."""
    wanted = {kind: [] for kind in KINDS}
    for kind, tag in tags:
        wanted[kind].append(tag)
    parts = [
        through.objects.filter(tag__in=ids, content_object__in=Article.objects.published())
        .values("tag")
        .annotate(n=Count("pk"), kind=Value(kind))
        .values_list("kind", "tag", "n")
        for kind, (through, _) in KINDS.items()
        if (ids := wanted[kind])
    ]
    first, *rest = parts
    counted = {f"news:tag-count:{kind}:{tag}": n for kind, tag, n in first.union(*rest, all=True)}
    cache.set_many(counted, COUNT_SECONDS)
    return counted


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
