"""Search: Dutch words without regard to accents, best match first, then the newest.

PostgreSQL matches the generated `search_document` column (migration 0012_search) with
websearch syntax; SQLite matches its FTS5 table (news.search_index) with the same
syntax, parsed here: words, "phrases", -excluded and `or`.
"""

import re

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import F, FloatField, Func, Value
from django.db.models.expressions import RawSQL

from .search_index import TABLE, terms

MAX_QUERY_LENGTH = 200
CONFIG = "news_dutch"

# The stored tsvector (title A, lead B, body C) that the GIN index news_article_search_idx
# indexes. Unqualified, so it also names the right table when the query is a subquery.
DOCUMENT = RawSQL("search_document", [], output_field=SearchVectorField())

# bm25 weights of title, lead and body.
WEIGHTS = "10.0, 4.0, 1.0"

# An optional minus, then a quoted phrase (the closing quote may be missing) or a word.
TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')


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
    """Return the `articles` that match `query`, best match first, then the newest."""
    if connections[articles.db].vendor == "postgresql":
        articles = _full_text(articles, query)
    else:
        articles = _fts5(articles, query)
    return articles.order_by("-rank", "-published_at", "-pk")


def parse(query):
    """Return the alternatives (`or`) of `query`: each a pair of lists of phrases, the
    wanted and the excluded; a phrase is a tuple of terms."""
    alternatives = [([], [])]
    for minus, quoted, word in TERM.findall(query):
        if not minus and word.lower() == "or":
            alternatives.append(([], []))
            continue
        phrase = tuple(terms(quoted or word))
        if phrase:
            alternatives[-1][bool(minus)].append(phrase)
    return [(wanted, excluded) for wanted, excluded in alternatives if wanted]


def wanted_terms(query):
    """Return the set of terms a result may contain, for marking them."""
    return {t for wanted, _ in parse(query) for phrase in wanted for t in phrase}


def match_expression(query):
    """Return `query` as an FTS5 MATCH expression, or "" when it wants nothing.

    Every phrase is quoted and holds only letters and digits, so no FTS5 syntax in the
    query (", *, AND, NEAR, -, ^, :) reaches SQLite.
    """

    def quoted(phrase):
        return '"' + " ".join(phrase) + '"'

    alternatives = []
    for wanted, excluded in parse(query):
        expression = " AND ".join(map(quoted, wanted))
        expression += "".join(f" NOT {quoted(phrase)}" for phrase in excluded)
        alternatives.append(f"({expression})")
    return " OR ".join(alternatives)


def _full_text(articles, query):
    # websearch syntax never raises on user input ("a -b", unbalanced quotes).
    terms = SearchQuery(query, config=CONFIG, search_type="websearch")
    return (
        articles.alias(document=DOCUMENT)
        .filter(document=terms)
        .annotate(rank=SearchRank(DOCUMENT, terms))
    )


class _Bm25(Func):
    """-bm25 (higher is better) of the article with id `pk` for the MATCH `expression`."""

    template = (
        f"(SELECT -bm25({TABLE}, {WEIGHTS}) FROM {TABLE} WHERE {TABLE} MATCH %(expressions)s)"
    )
    arg_joiner = " AND rowid = "
    output_field = FloatField()

    def __init__(self, expression, pk):
        super().__init__(Value(expression), pk)


def _fts5(articles, query):
    expression = match_expression(query)
    if not expression:
        return articles.none().annotate(rank=Value(0.0))
    matching = RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", (expression,))
    return articles.filter(pk__in=matching).annotate(rank=_Bm25(expression, F("pk")))
