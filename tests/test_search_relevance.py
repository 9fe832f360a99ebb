"""A small Dutch relevance set: for each query, the article that must come first.

Runs on both databases: SQLite's FTS5 table with Python's Dutch stemmer, PostgreSQL's
`news_dutch` configuration. Each case names the rule it holds the search to.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article
from news.search import search

from .conftest import make_article

pytestmark = pytest.mark.django_db

# (title, lead, body, hours ago)
ARTICLES = [
    (
        "Marokko test nieuwe raketten boven de Atlantische Oceaan",
        "De marine vuurde vanaf een fregat twee raketten af.",
        "Het ministerie van Defensie spreekt van een geslaagde proef.",
        30,
    ),
    (
        "Handelsakkoord met Spanje getekend",
        "Rabat en Madrid maken afspraken over tomaten en vis.",
        "Over de raket die vorige week neerkwam, werd niet gesproken. Ook de raket van "
        "maart kwam niet ter sprake.",
        2,
    ),
    (
        "Koning Abdullah van Jordanië bezoekt Rabat",
        "De koning van Jordanië spreekt met de regering over water en energie.",
        "Het bezoek duurt drie dagen.",
        50,
    ),
    (
        "Droogte treft de landbouw in het zuiden",
        "Boeren vragen om hulp van de regering.",
        "Net als in Jordanië raakt het grondwater op.",
        1,
    ),
    (
        "Luchtmacht koopt Chinook-helikopters",
        "De Marokkaanse luchtmacht breidt haar vloot uit.",
        "De levering begint volgend jaar.",
        70,
    ),
    (
        "Helikopter verongelukt bij oefening",
        "Twee bemanningsleden raakten gewond.",
        "De luchtmacht onderzoekt de oorzaak.",
        3,
    ),
    (
        "Marineschip bezoekt Curaçao",
        "Het fregat blijft een week in Willemstad.",
        "Daarna vaart het door naar Aruba.",
        40,
    ),
    (
        "Havenoverzicht week 12",
        "De drukte in de havens van Tanger en Casablanca.",
        "Cijfers van de havenautoriteit.",
        24 * 7,
    ),
    (
        "Havenoverzicht week 13",
        "De drukte in de havens van Tanger en Casablanca.",
        "Cijfers van de havenautoriteit.",
        24,
    ),
    (
        "Kabinet presenteert begroting",
        "Meer geld voor onderwijs en defensie.",
        "De oppositie noemt de plannen onhaalbaar.",
        5,
    ),
]

CASES = [
    # Stemming: the query's singular finds the title's plural, above a body's singular.
    ("raket", "Marokko test nieuwe raketten boven de Atlantische Oceaan"),
    ("raketten", "Marokko test nieuwe raketten boven de Atlantische Oceaan"),
    # Stemming inside a hyphenated word, and a title above a newer body match.
    ("helikopters", "Helikopter verongelukt bij oefening"),
    ("chinook helikopter", "Luchtmacht koopt Chinook-helikopters"),
    # Accents: without, with, and in capitals; the title above a newer body match.
    ("Jordanie", "Koning Abdullah van Jordanië bezoekt Rabat"),
    ("jordanië", "Koning Abdullah van Jordanië bezoekt Rabat"),
    ("CURACAO", "Marineschip bezoekt Curaçao"),
    # Several words: all in one article, across title and lead.
    ("koning rabat water", "Koning Abdullah van Jordanië bezoekt Rabat"),
    ("luchtmacht helikopters vloot", "Luchtmacht koopt Chinook-helikopters"),
    ("grondwater boeren", "Droogte treft de landbouw in het zuiden"),
    # Equal matches: the newest first.
    ("havens tanger", "Havenoverzicht week 13"),
    # Title above lead above body, whatever their dates.
    ("luchtmacht", "Luchtmacht koopt Chinook-helikopters"),
    ("defensie", "Kabinet presenteert begroting"),
]


@pytest.fixture
def articles():
    now = timezone.now()
    for title, lead, body, hours in ARTICLES:
        make_article(title=title, lead=lead, body=body, published_at=now - timedelta(hours=hours))


def ranked(query):
    return [a.title for a in search(Article.objects.published(), query)]


@pytest.mark.parametrize("query, first", CASES)
def test_the_best_article_comes_first(articles, query, first):
    assert ranked(query)[:1] == [first]


def test_title_then_lead_then_body():
    # "raket" in the body twice of the newest article, once in the others' title and lead.
    now = timezone.now()
    make_article(title="Overleg", body="Een raket, en nog een raket.", published_at=now)
    make_article(title="Proef", lead="Een raket.", published_at=now - timedelta(days=1))
    make_article(title="Raket", published_at=now - timedelta(days=2))
    assert ranked("raket") == ["Raket", "Proef", "Overleg"]


def test_equal_matches_come_newest_first():
    now = timezone.now()
    for days in (3, 1, 2):
        make_article(
            title=f"Raket {days}", lead="Intro.", body="", published_at=now - timedelta(days=days)
        )
    assert ranked("raket") == ["Raket 1", "Raket 2", "Raket 3"]
