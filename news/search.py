"""Search: Dutch full-text search on PostgreSQL, plain word containment elsewhere."""

from functools import reduce
from operator import and_, or_

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q

MAX_QUERY_LENGTH = 200
FIELDS = ("title", "lead", "body")
CONFIG = "dutch"

# Must stay the expression that migration 0003_search_index indexes, or the
# GIN index goes unused (tests/test_search.py checks the query plan).
DOCUMENT = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("lead", weight="B", config=CONFIG)
    + SearchVector("body", weight="C", config=CONFIG)
)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Zoeken",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": f"Die zoekopdracht is te lang. Gebruik hooguit {MAX_QUERY_LENGTH} tekens."
        },
    )


def search(articles, query):
    """Return the `articles` that match `query`, best match first."""
    if connections[articles.db].vendor == "postgresql":
        return _full_text(articles, query)
    return _containment(articles, query)


def _full_text(articles, query):
    # websearch syntax never raises on user input ("a -b", unbalanced quotes).
    terms = SearchQuery(query, config=CONFIG, search_type="websearch")
    return (
        articles.alias(document=DOCUMENT)
        .filter(document=terms)
        .annotate(rank=SearchRank(DOCUMENT, terms))
        .order_by("-rank", "-published_at", "-pk")
    )


def _containment(articles, query):
    """Every word somewhere in title, lead or body; no stemming."""
    words = query.split()
    if not words:
        return articles.none()
    matches = (reduce(or_, (Q(**{f"{f}__icontains": w}) for f in FIELDS)) for w in words)
    return articles.filter(reduce(and_, matches)).order_by("-published_at", "-pk")
