"""The "Lees meer" sidebar: pinned articles, then related ones, topped up with the latest.

Related means sharing countries and topics (a topic weighs more than a country, a
rare tag more than a common one) and being close in time. The work stays the same
whatever the number of articles: for each of the article's tags only its nearest
articles are candidates, and tag rarity comes from the cache.
"""

import math

from django.core.cache import cache
from django.db.models import Count, Value
from django.utils import timezone

from . import edge
from .caching import cached_fact
from .models import Article, CountryTag, PinnedArticle, TopicTag
from .querysets import State, state_of
from .rawsql import column, connection_for, converter, table

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
    return load(choose(article, limit))


def choose(article, limit=LIMIT):
    """Return [(id, updated_at)] of the articles to show beside `article`, best first.

    Candidates are ranked from a few columns each: what a page shows of them is named by
    their ids and `updated_at` (news/render_cache.py) before any of them is loaded.
    """
    now = timezone.now()
    tags = _tags_of(article)
    weights = _weights(tags)
    pinned, related, latest, stamps = [], [], [], {}
    candidates = _candidates(article, tags, limit)
    _shows_what_may_join(article, tags, candidates)
    for pk, (
        status,
        published_at,
        unpublish_at,
        updated_at,
        position,
        shared,
    ) in candidates.items():
        if state_of(status, published_at, unpublish_at, now) != State.PUBLISHED:
            continue
        stamps[pk] = updated_at
        score = sum(weights[kind].get(tag, 0.0) for kind, tag in shared)
        if position is not None:
            pinned.append((position, pk))
        elif score > 0:
            rank = _relatedness(article.published_at, published_at, score)
            # Equally related: the newer first.
            related.append((-rank, -published_at.timestamp(), -pk))
        else:
            latest.append((published_at, pk))
    chosen = [pk for _, pk in sorted(pinned)]
    chosen += [-pk for *_, pk in sorted(related)]
    if len(chosen) < limit:
        # Topped up: another article among the latest would change what it shows.
        edge.shows(edge.LATEST)
    chosen += [pk for _, pk in sorted(latest, reverse=True)]
    return [(pk, stamps[pk]) for pk in chosen[:limit]]


def _shows_what_may_join(article, tags, candidates):
    """Name (news/edge.py) the tags whose next new article would be a candidate: those with
    fewer than NEIGHBOURS articles after this one, all of which are candidates then."""
    after = {}
    for pk, (*_, shared) in candidates.items():
        if pk > article.pk:
            for kind_tag in shared:
                after[kind_tag] = after.get(kind_tag, 0) + 1
    keys = edge.tag_keys()
    edge.shows(
        keys[KINDS[kind][0]](tag)
        for kind, tag in _searched(tags)
        if after.get((kind, tag), 0) < NEIGHBOURS
    )


def _searched(tags):
    """Return [(kind, tag id)] of the tags whose neighbours are candidates."""
    return [(kind, tag) for kind, ids in tags.items() for tag in ids][:MAX_TAGS]


def among_the_latest(pks):
    """Return whether any of `pks` is among the latest articles, which top up Lees meer."""
    return not set(pks).isdisjoint(_latest(LIMIT + 1))


def load(chosen):
    """Return the articles `choose()` chose, with what a teaser shows of them (its place
    for the date line; no tags, which teasers do not show), in one query."""
    pks = [pk for pk, _ in chosen]
    found = Article.objects.for_teasers().in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def _tags_of(article):
    """Return {kind: [tag ids]} from the article's (usually prefetched) tags."""
    return {
        "land": sorted(c.pk for c in article.country_list),
        "onderwerp": sorted(t.pk for t in article.topic_list),
    }


def _candidates(article, tags, limit):
    """Return {article id: (status, published_at, unpublish_at, updated_at, pin position or None,
    [(kind, tag id) shared with the article])} for the pinned articles, each tag's
    neighbours and the latest articles, in one query. `updated_at` stays as the database
    gives it: it only names the teaser's render.

    A tag's neighbours are the articles with that tag just before and after this one
    in id order, which follows the order articles were written in: read straight from
    the (tag, article) index, however common or rare the tag and however many
    articles there are. Their publication times rank them afterwards.
    The SQL is written here rather than built by the ORM: building and compiling two
    dozen small querysets cost more than running the whole statement.
    """
    connection = connection_for(Article)
    art = table(Article)
    parts = [
        f"SELECT {column(PinnedArticle, 'pinned')}, {column(PinnedArticle, 'position')} "
        f"FROM {table(PinnedArticle)} WHERE {column(PinnedArticle, 'article')} = %s",
    ]
    params = [article.pk]
    # The latest articles are the same beside every article: chosen once per change.
    latest = cached_fact(f"latest:{limit + 1}", lambda: _latest(limit + 1))
    if latest:
        parts.append(
            f"SELECT {column(Article, 'id')}, NULL FROM {art} "
            f"WHERE {column(Article, 'id')} IN ({', '.join(['%s'] * len(latest))})"
        )
        params += latest
    for n, (kind, tag) in enumerate(_searched(tags)):
        through = KINDS[kind][0]
        tag_column, object_column = column(through, "tag"), column(through, "content_object")
        for side, (compare, order) in enumerate((("<", "DESC"), (">", "ASC"))):
            parts.append(
                f"SELECT *, NULL FROM (SELECT {object_column} FROM {table(through)} "
                f"WHERE {tag_column} = %s AND {object_column} {compare} %s "
                f"ORDER BY {object_column} {order} LIMIT {NEIGHBOURS}) AS n{n}_{side}"
            )
            params += [tag, article.pk]
    columns = ", ".join(column(Article, name) for name in ("id", *FIELDS))
    rows = [
        f"SELECT {columns}, candidate.position, NULL, NULL FROM {art} "
        f"JOIN candidate ON candidate.id = {column(Article, 'id')}"
    ]
    for kind, (through, _) in KINDS.items():
        if tags[kind]:
            tag_column, object_column = column(through, "tag"), column(through, "content_object")
            # The candidate's id, NULL for each of FIELDS and its position, the shared tag.
            nulls = ", ".join(["NULL"] * (len(FIELDS) + 1))
            rows.append(
                f"SELECT {object_column}, {nulls}, {tag_column}, %s "
                f"FROM {table(through)} WHERE {tag_column} IN "
                f"({', '.join(['%s'] * len(tags[kind]))}) "
                f"AND {object_column} IN (SELECT id FROM candidate)"
            )
            params += [kind, *tags[kind]]
    sql = f"WITH candidate (id, position) AS ({' UNION ALL '.join(parts)}) " + " UNION ALL ".join(
        rows
    )
    published_at = converter(Article, "published_at")
    unpublish_at = converter(Article, "unpublish_at")
    candidates, shared = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pk, status, *times, updated_at, position, tag, kind in cursor.fetchall():
            if kind is not None:
                shared.setdefault(pk, []).append((kind, tag))
            elif position is not None or pk not in candidates:
                candidates[pk] = (
                    status,
                    published_at(times[0]),
                    times[1] and unpublish_at(times[1]),  # mostly NULL
                    updated_at,
                    position,
                )
    candidates.pop(article.pk, None)
    return {pk: (*fields, shared.get(pk, [])) for pk, fields in candidates.items()}


def _latest(n):
    return list(
        Article.objects.published().order_by("-published_at").values_list("pk", flat=True)[:n]
    )


# What ranking needs of each candidate.
FIELDS = ("status", "published_at", "unpublish_at", "updated_at")


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


def _relatedness(published_at, other_published_at, tag_score):
    if published_at is None or other_published_at is None:
        return tag_score
    days = abs((published_at - other_published_at).total_seconds()) / 86400
    return tag_score * 0.5 ** (days / HALF_LIFE_DAYS)
