"""The article form's live preview: the unsaved form rendered as the article page."""

import re

import pytest
from django.test import Client

from news.models import Article, Revision

from .conftest import form_data, make_article
from .imagefiles import image_file
from .library import library_image, with_image

pytestmark = pytest.mark.django_db


def preview_url(article=None):
    if article is None:
        return "/admin/news/article/voorbeeld/"
    return f"/admin/news/article/{article.pk}/voorbeeld/"


@pytest.fixture
def editor(client, final_editor):
    client.force_login(final_editor)
    return client


@pytest.fixture
def article():
    return make_article(
        title="Opgeslagen kop", lead="Opgeslagen intro.", body="Opgeslagen tekst.",
        byline="Redactie", topics=["defensie"], countries=["MA"],
    )  # fmt: skip


def test_renders_the_unsaved_form_in_the_article_template(editor, article):
    data = form_data(
        article, title="Nieuwe kop", lead="Een nieuwe intro.", body="Een **vette** zin.",
        byline="Fatima Zahra", source="ANP",
    )  # fmt: skip
    response = editor.post(preview_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Nieuwe kop</h1>" in html
    assert '<p class="lead">Een nieuwe intro.</p>' in html
    assert "<strong>vette</strong>" in html
    # article_detail.html's own markup: the date line and the byline.
    assert re.search(r'<p class="date-line"><time datetime="[^"]+">\d+ \w+ \d{4} - \d\d:\d\d', html)
    assert '<p class="byline">Door <span class="author">Fatima Zahra</span>' in html
    assert "Bron: ANP" in html
    assert "<title>Nieuwe kop - " in html
    # Nothing was saved.
    article.refresh_from_db()
    assert (article.title, article.body) == ("Opgeslagen kop", "Opgeslagen tekst.")
    assert not Revision.objects.filter(article_id=article.pk).exists()


def test_a_new_article_is_previewed_with_the_tags_chosen_in_the_form(editor):
    related = make_article(lead="Over de luchtmacht van Marokko.", topics=["luchtmacht"])
    make_article(lead="Iets heel anders.", topics=["economie"])
    data = form_data(title="Nog niet opgeslagen", topics="luchtmacht, nieuwonderwerp")
    response = editor.post(preview_url(), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Nog niet opgeslagen</h1>" in html
    assert 'aria-labelledby="lees-meer-kop"' in html
    lees_meer = html.split('id="lees-meer-kop"')[1]
    assert lees_meer.index(related.lead) < lees_meer.index("Iets heel anders.")
    # The tag links under the article: the stored topic, and the new one as it will be.
    assert 'href="/onderwerp/luchtmacht/">luchtmacht</a>' in html
    assert ">nieuwonderwerp</a>" in html
    assert ">Marokko</a>" in html
    assert not Article.objects.filter(title="Nog niet opgeslagen").exists()


def test_the_chosen_library_image_is_shown_and_no_choice_shows_none(editor):
    article = with_image(image_file(size=(1600, 900)), image_kw={"alt": "Twee generaals."})
    other = library_image(alt="Een andere afbeelding.")
    data = form_data(article, lead_image=other.pk)
    html = editor.post(preview_url(article), data).content.decode()
    assert '<figure class="lead-image">' in html
    assert 'alt="Een andere afbeelding."' in html
    html = editor.post(preview_url(article), {**data, "lead_image": ""}).content.decode()
    assert '<figure class="lead-image">' not in html


def test_script_in_the_form_is_sanitised(editor, article):
    data = form_data(
        article,
        title="Kop <script>alert(1)</script>",
        body='Tekst <script>alert(2)</script> <img src=x onerror="alert(3)">\n\n'
        "[a](javascript:alert(4))",
    )
    html = editor.post(preview_url(article), data).content.decode()
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<h1>Kop &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html


def test_never_cached_nor_indexed(editor, article):
    response = editor.post(preview_url(article), form_data(article, title="Nieuwe kop"))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    # Only the article page's markup: no canonical link, no structured data to index.
    assert 'rel="canonical"' not in response.content.decode()
    assert "application/ld+json" not in response.content.decode()


def test_the_page_cache_never_keeps_a_preview(editor, article):
    reader = Client()
    assert "Opgeslagen kop" in reader.get(article.get_absolute_url()).content.decode()
    editor.post(preview_url(article), form_data(article, title="Geheime nieuwe kop"))
    for _ in range(2):  # the cached page, then a fresh one
        html = reader.get(article.get_absolute_url()).content.decode()
        assert "Geheime nieuwe kop" not in html
        assert "Opgeslagen kop" in html


def test_anonymous_users_get_nothing(client, article):
    response = client.post(preview_url(article), form_data(article, title="Nieuwe kop"))
    assert response.status_code in (302, 403)
    assert b"Nieuwe kop" not in response.content
    assert client.post(preview_url(), form_data(title="Nieuwe kop")).status_code in (302, 403)


def test_a_writer_previews_her_draft_but_not_a_published_article(client, writer, article):
    client.force_login(writer)
    response = client.post(preview_url(article), form_data(article, title="Nieuwe kop"))
    assert response.status_code == 403
    assert b"Nieuwe kop" not in response.content
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    response = client.post(preview_url(draft), form_data(draft, title="Haar kop"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Haar kop</h1>" in html
    # Not yet for readers, the page says; the date line reads as it would when published.
    assert "lezers zien dit artikel nog niet" in html
    assert client.post(preview_url(), form_data(title="Nieuw")).status_code == 200


def test_an_unknown_article_is_a_404(editor):
    assert editor.post("/admin/news/article/987654/voorbeeld/", form_data()).status_code == 404


def test_only_posts(editor, article):
    assert editor.get(preview_url(article)).status_code == 405


def test_csrf_token_required(final_editor, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(final_editor)
    response = client.post(preview_url(article), form_data(article, title="Nieuwe kop"))
    assert response.status_code == 403
    assert b"Nieuwe kop" not in response.content


@pytest.mark.parametrize(
    "bad",
    [
        {"published_at_0": "31-02-2024", "published_at_1": "25:99"},
        {"published_at_0": "gisteren", "published_at_1": ""},
        {"unpublish_at_0": "1-1-2000", "unpublish_at_1": "10:00"},  # before publication
        {"country": "abc", "countries": ["xyz", "99999999999999999999999"]},
        {"country": "99999999999999999999999"},
        {"topics": "x" * 500},
        {"topics": "!!!, ملف, 💥"},
        {"status": "weg"},
        {"title": "T" * 400, "slug": "niet geldig!"},
        {"lead": ""},
        {"body": "![" * 3000},
        {"pins-TOTAL_FORMS": "onzin"},
        {"opened_version": "abc", "image-clear": "on"},
    ],
)
def test_bad_input_still_shows_what_can_be_shown(editor, article, bad):
    data = form_data(article, title="Toch een voorbeeld", lead="De intro blijft.")
    data.update(bad)
    response = editor.post(preview_url(article), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<p class="date-line">' in html
    if "title" not in bad:
        assert "<h1>Toch een voorbeeld</h1>" in html
    else:
        assert "<h1>" + "T" * 400 + "</h1>" in html  # too long to save, still shown


def test_an_empty_post_is_no_error(editor, article):
    assert editor.post(preview_url(article), {}).status_code == 200
    assert editor.post(preview_url(), {}).status_code == 200


def test_the_form_has_the_panel_and_the_new_tab_button(editor, article):
    html = editor.get(f"/admin/news/article/{article.pk}/change/").content.decode()
    assert f'data-url="{preview_url(article)}"' in html
    assert 'sandbox="allow-same-origin"' in html
    assert "Voorbeeld in nieuw tabblad" in html
    assert "admin/live-preview.js" in html
    html = editor.get("/admin/news/article/add/").content.decode()
    assert f'data-url="{preview_url()}"' in html


def test_a_writer_viewing_a_published_article_gets_no_panel(client, writer, article):
    client.force_login(writer)
    html = client.get(f"/admin/news/article/{article.pk}/change/").content.decode()
    assert 'id="live-preview"' not in html
