from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article, Country, PinnedArticle, Topic

from .conftest import change_url, form_data, make_article

ADD = "/admin/news/article/add/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("eindredacteur", "e@example.org", "x")
    client.force_login(user)
    return client


def article_form(**overrides):
    """The shared admin form data, as a dated article about Morocco and the United States."""
    return form_data(
        **{
            "title": "Marokko koopt helikopters",
            "slug": "marokko-koopt-helikopters",
            "lead": "Marokko koopt helikopters.",
            "body": "Een alinea.\n\nNog een alinea.",
            "published_at_0": "04-05-2014",
            "published_at_1": "15:44",
            "countries": [Country.objects.get(code="MA").pk, Country.objects.get(code="US").pk],
            "topics": "Verenigde Staten-beleid, defensie",
            **overrides,
        }
    )


def test_editor_adds_a_tagged_article_with_a_pinned_one(editor_client):
    other = make_article(title="Eerder stuk")
    data = article_form(
        **{
            "pins-TOTAL_FORMS": "1",
            "pins-0-pinned": other.pk,
            "pins-0-position": "0",
        }
    )
    response = editor_client.post("/admin/news/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Marokko koopt helikopters")
    assert sorted(c.code for c in article.countries.all()) == ["MA", "US"]
    assert sorted(t.name for t in article.topics.all()) == ["Verenigde Staten-beleid", "defensie"]
    assert article.date_line == "4 mei 2014 - 15:44 - Marokko"
    assert [p.pinned for p in PinnedArticle.objects.filter(article=article)] == [other]
    assert editor_client.get(article.get_absolute_url()).status_code == 200


def test_unknown_country_is_refused_and_the_text_is_kept(editor_client):
    data = article_form(countries=["999999"], body="Mijn zorgvuldig getypte tekst.")
    response = editor_client.post("/admin/news/article/add/", data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "countries" in form.errors
    assert "Mijn zorgvuldig getypte tekst." in response.content.decode()
    assert not Article.objects.exists()


def test_same_topic_in_another_case_is_reused(editor_client):
    Topic.objects.create(name="defensie")
    response = editor_client.post("/admin/news/article/add/", article_form(topics="Defensie"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert [t.name for t in article.topics.all()] == ["defensie"]
    assert list(Topic.objects.values_list("name", flat=True)) == ["defensie"]


def test_article_list_shows_status_and_tags(editor_client, django_assert_max_num_queries):
    make_article(title="Live", countries=["MA"], topics=["defensie"])
    make_article(title="Klad", status=Article.Status.DRAFT)
    make_article(title="Straks", published_at=timezone.now() + timedelta(days=1))
    for _ in range(30):
        make_article(countries=["MA", "RU"], topics=["defensie", "marine"])
    with django_assert_max_num_queries(12):
        response = editor_client.get("/admin/news/article/")
    html = response.content.decode()
    assert response.status_code == 200
    # The badges themselves: the same labels also stand in the filter beside the list.
    assert '<span class="badge badge-published">Gepubliceerd</span>' in html
    assert '<span class="badge badge-draft">Concept</span>' in html
    assert '<span class="badge badge-scheduled">Gepland: ' in html
    assert "Marokko, Rusland" in html


def test_edit_form_shows_the_tags(editor_client):
    article = make_article(countries=["MA"], topics=["luchtmacht", "Verenigde Staten-beleid"])
    response = editor_client.get(f"/admin/news/article/{article.pk}/change/")
    form = response.context["adminform"].form
    assert [c.code for c in form.initial["countries"]] == ["MA"]
    assert 'value="Verenigde Staten-beleid, luchtmacht"' in response.content.decode()


def test_countries_cannot_be_added_or_deleted(editor_client):
    assert editor_client.get("/admin/news/country/add/").status_code == 403
    morocco = Country.objects.get(code="MA")
    assert editor_client.get(f"/admin/news/country/{morocco.pk}/delete/").status_code == 403


def test_vocabulary_lists_count_articles(editor_client):
    make_article(countries=["MA"], topics=["marine"])
    make_article(countries=["MA"], topics=["marine"])
    html = editor_client.get("/admin/news/topic/").content.decode()
    assert '<td class="field-article_count">2</td>' in html
    html = editor_client.get("/admin/news/country/?q=Marokko").content.decode()
    assert '<td class="field-article_count">2</td>' in html


def test_the_place_is_picked_once(editor_client):
    ma, es = (Country.objects.get(code=c).pk for c in ("MA", "ES"))
    # A place not among the countries joins them.
    editor_client.post(ADD, form_data(title="Een", country=ma, countries=[es], status="draft"))
    article = Article.objects.get(title="Een")
    assert sorted(c.code for c in article.countries.all()) == ["ES", "MA"]
    # No place, one country: that country is the place.
    editor_client.post(ADD, form_data(title="Twee", country="", countries=[es], status="draft"))
    assert Article.objects.get(title="Twee").country.code == "ES"


def test_a_writer_sees_no_help_on_dates_she_cannot_set(client, writer):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    client.force_login(writer)
    html = client.get(change_url(draft)).content.decode()
    assert "Een tijd in de toekomst plant het artikel in." not in html
    assert "Vanaf dit moment verdwijnt het artikel" not in html
    assert "Publiceren, inplannen en depubliceren doet de eindredactie." in html
