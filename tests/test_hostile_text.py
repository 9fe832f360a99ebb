"""Text that is longer or stranger than the form expects: refused in Dutch, or cleaned."""

import time

import pytest

from news.markup import MAX_LENGTH
from news.models import Article

from .conftest import change_url, form_data, make_article

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/news/article/add/"


@pytest.mark.parametrize("body", ["![" * 5000, "[" * 4000 + "x" + "](" * 4000, "![" * 9000])
def test_markdown_that_would_stall_a_worker_is_refused_in_time(client, final_editor, body):
    client.force_login(final_editor)
    started = time.monotonic()
    response = client.post(ADD_URL, form_data(status="draft", body=body))
    elapsed = time.monotonic() - started
    html = response.content.decode()
    assert response.status_code == 200
    assert "De opmaak van deze tekst is te ingewikkeld om op tijd te verwerken." in html
    assert "![![![" in html or "[[[[" in html  # the text is still in the field
    assert elapsed < 5
    assert not Article.objects.exists()


def test_a_body_over_the_limit_is_refused_in_dutch(client, final_editor):
    client.force_login(final_editor)
    response = client.post(ADD_URL, form_data(status="draft", body="a" * (MAX_LENGTH + 1)))
    assert "De tekst is te lang: hoogstens 100.000 tekens" in response.content.decode()
    assert not Article.objects.exists()


def test_single_line_text_loses_control_characters_line_breaks_and_bidi_overrides(
    client, final_editor
):
    article = make_article()
    client.force_login(final_editor)
    title = "Kop\r\nover\x07 twee\u202e regels\u2066"
    data = form_data(article, title=title, lead="Intro\n\nmet\x0b breuk", byline="Jan\tJansen")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Kop over twee regels"
    assert article.lead == "Intro met breuk"
    assert article.byline == "Jan Jansen"
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<title>Kop over twee regels" in html
    assert "\u202e" not in html and "\x07" not in html
