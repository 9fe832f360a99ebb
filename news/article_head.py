"""The article page's head: what names its render (news/render_cache.py) and ranks its Lees
meer, in one query; the rest of the article is loaded only when the page is rendered.

Written in SQL: building and compiling the ORM's query for one article (its state, place
and tags) cost more than a whole page served from its kept render.
"""

from .models import Article, Country, CountryTag, Topic, TopicTag
from .rawsql import column, connection_for, converter, table

# Read into the head; any other field is read when asked for. Selected in this order, so
# that the tags' rows (id, name, slug) line up with columns of the same types.
FIELDS = ("id", "slug", "status", "published_at", "unpublish_at", "updated_at", "country_id")
DATES = ("published_at", "unpublish_at", "updated_at")
# Model.from_db() takes them in the model's order.
MODEL_ORDER = tuple(f.attname for f in Article._meta.concrete_fields if f.attname in FIELDS)
# What pages show of a tag or a place.
TAG_FIELDS = ("id", "name", "slug")
TAGS = {"land": (Country, CountryTag), "onderwerp": (Topic, TopicTag)}
PLACE = "plaats"


def head(pk):
    """Return the article `pk` with FIELDS, its place (`country`) and its tags
    (`country_list`, `topic_list`), whatever its state; None if there is none."""
    connection = connection_for(Article)
    art = table(Article)
    nulls = ", ".join(["NULL"] * (len(FIELDS) - len(TAG_FIELDS)))
    parts = [
        f"SELECT 'artikel', {', '.join(column(Article, name) for name in FIELDS)} "
        f"FROM {art} WHERE {column(Article, 'id')} = %s",
        f"SELECT %s, {_tag_columns(Country)}, {nulls} FROM {table(Country)} JOIN {art} "
        f"ON {column(Article, 'country')} = {column(Country, 'id')} "
        f"WHERE {column(Article, 'id')} = %s",
    ]
    params = [pk, PLACE, pk]
    for kind, (model, through) in TAGS.items():
        parts.append(
            f"SELECT %s, {_tag_columns(model)}, {nulls} FROM {table(model)} JOIN {table(through)} "
            f"ON {column(through, 'tag')} = {column(model, 'id')} "
            f"WHERE {column(through, 'content_object')} = %s"
        )
        params += [kind, pk]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    # SQLite gives date-times as text: converted as the ORM would.
    convert = {name: converter(Article, name) for name in DATES}
    article, place, found = None, None, {kind: [] for kind in TAGS}
    for kind, *values in rows:
        if kind == "artikel":
            values = dict(zip(FIELDS, values, strict=True))
            values.update((name, convert[name](values[name])) for name in DATES)
            article = Article.from_db(
                connection.alias, MODEL_ORDER, [values[name] for name in MODEL_ORDER]
            )
        elif kind == PLACE:
            place = Country.from_db(connection.alias, TAG_FIELDS, values[: len(TAG_FIELDS)])
        else:
            model = TAGS[kind][0]
            found[kind].append(
                model.from_db(connection.alias, TAG_FIELDS, values[: len(TAG_FIELDS)])
            )
    if article is None:
        return None
    if place is not None:
        article.country = place
    article.prefetched_countries = found["land"]
    article.prefetched_topics = found["onderwerp"]
    return article


def _tag_columns(model):
    return ", ".join(column(model, name) for name in TAG_FIELDS)
