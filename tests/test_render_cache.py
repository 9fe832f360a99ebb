"""Renders kept by what they show (news/render_cache.py): after an edit, a page whose
content did not change comes from its earlier render; one whose content changed is
rendered again, and shows the change."""

import gzip
from unittest import mock

import brotli
import pytest
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext

from news import render_cache, views
from news.caching import bump_content_version, bump_render_generation
from news.models import Article, Country, Image

from .conftest import make_article
from .library import with_image

pytestmark = pytest.mark.django_db

LISTS = ["/", "/land/marokko/", "/onderwerp/defensie/", "/feed/", "/land/marokko/feed/atom/"]


@pytest.fixture
def article():
    for n in range(3):
        make_article(title=f"Ander nieuws {n}", countries=["MA"], topics=["defensie"])
    return make_article(title="Het artikel", countries=["MA"], topics=["defensie"])


def url_of(article, url):
    return article.get_absolute_url() if url == "article" else url


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    response.queries = len(queries)
    return response


def unrelated_edit():
    """An edit no reader page shows (a new draft), then every kept page stale: as after a
    change to an editors' page, which every page links to."""
    make_article(title="Nog een concept", status=Article.Status.DRAFT)
    bump_content_version()


@pytest.mark.parametrize("url", ["article", *LISTS])
def test_after_an_unrelated_edit_a_page_is_its_earlier_render(client, article, url):
    url = url_of(article, url)
    first = get(client, url)
    assert (first["X-Page-Cache"], first["X-Render-Cache"]) == ("miss", "miss")
    unrelated_edit()
    again = get(client, url)
    assert (again["X-Page-Cache"], again["X-Render-Cache"]) == ("miss", "hit")
    assert again.content == first.content
    assert again.queries < first.queries
    # The page cache keeps the page again, without the render's header.
    kept = get(client, url)
    assert kept["X-Page-Cache"] == "hit" and "X-Render-Cache" not in kept
    assert kept.content == first.content


def test_a_render_hit_of_an_article_runs_two_queries_of_its_own(client, article):
    other = Article.objects.get(title="Ander nieuws 1")
    for page in (article, other):
        get(client, page.get_absolute_url())
    unrelated_edit()
    # Once per content version, whichever page comes first: the next scheduled change (the
    # page cache's) and the latest articles (Lees meer's top-up).
    assert get(client, article.get_absolute_url()).queries == 4
    # Then each article page: its head (row, place and tags) and Lees meer's candidates (tag
    # rarity is cached); the article itself is not loaded.
    again = get(client, other.get_absolute_url())
    assert again["X-Render-Cache"] == "hit"
    assert again.queries == 2


def assert_changed(client, url, text):
    response = get(client, url)
    assert response["X-Render-Cache"] == "miss", url
    assert text in response.content.decode(), url


def test_editing_the_article_renders_its_page_again(client, article):
    get(client, article.get_absolute_url())
    article.title = "Een nieuwe kop"
    article.save()
    assert_changed(client, article.get_absolute_url(), "Een nieuwe kop")


def test_editing_an_article_in_lees_meer_renders_the_page_again(client, article):
    get(client, article.get_absolute_url())
    other = Article.objects.get(title="Ander nieuws 1")
    # Lees meer shows each article's lead.
    other.lead = "Een nieuwe intro voor Lees meer."
    other.save()
    assert_changed(client, article.get_absolute_url(), "Een nieuwe intro voor Lees meer.")


@pytest.mark.parametrize("url", LISTS)
def test_editing_a_teaser_renders_the_lists_again(client, article, url):
    get(client, url)
    article.title = "Een nieuwe kop"
    article.save()
    assert_changed(client, url, "Een nieuwe kop")


@pytest.mark.parametrize("url", ["article", "/", "/onderwerp/defensie/"])
def test_renaming_a_country_renders_the_pages_that_name_it_again(
    client, article, url, django_capture_on_commit_callbacks
):
    url = url_of(article, url)
    assert "Marokko" in get(client, url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Country.objects.filter(code="MA").update(name="Koninkrijk Marokko")
        Country.objects.get(code="MA").save()  # the admin's save: the signal bumps
    assert_changed(client, url, "Koninkrijk Marokko")


def test_a_new_caption_renders_the_page_again(client, article):
    with_image(article=article, image_kw={"caption": "Het oude bijschrift."})
    assert "Het oude bijschrift." in get(client, article.get_absolute_url()).content.decode()
    # Edited in the library: the articles that show the image are touched.
    image = Image.objects.get()
    image.caption = "Het nieuwe bijschrift."
    image.save()
    assert_changed(client, article.get_absolute_url(), "Het nieuwe bijschrift.")


@pytest.mark.parametrize("url", ["article", *LISTS])
def test_publishing_an_article_renders_the_lists_it_enters_again(client, article, url):
    url = url_of(article, url)
    get(client, url)
    make_article(
        title="Vers van de pers",
        lead="Vers van de pers, de intro.",
        countries=["MA"],
        topics=["defensie"],
    )
    # On an article page, the newest article tops up Lees meer (which shows its lead).
    assert_changed(client, url, "Vers van de pers")


def test_a_new_render_generation_renders_every_page_again(
    client, article, django_capture_on_commit_callbacks
):
    get(client, article.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        bump_render_generation()  # as a change that leaves updated_at alone must
    unrelated_edit()
    assert get(client, article.get_absolute_url())["X-Render-Cache"] == "miss"


@pytest.mark.parametrize("url", ["article", "/", "/feed/"])
def test_editors_never_get_or_keep_renders(client, article, writer, url):
    url = url_of(article, url)
    get(client, url)  # a reader's render is kept
    client.force_login(writer)
    unrelated_edit()
    for _ in range(2):
        assert get(client, url)["X-Render-Cache"] == "bypass"
    client.logout()
    unrelated_edit()
    # The reader's render, not one the editor made.
    assert get(client, url)["X-Render-Cache"] == "hit"


def test_renders_are_not_kept_when_render_cache_seconds_is_0(client, article, settings):
    settings.RENDER_CACHE_SECONDS = 0
    get(client, article.get_absolute_url())
    unrelated_edit()
    response = get(client, article.get_absolute_url())
    assert (response["X-Page-Cache"], response["X-Render-Cache"]) == ("miss", "bypass")


def test_a_render_with_a_csrf_token_is_not_kept(client, article):
    context = views.ArticleDetailView.get_context_data

    def with_token(self, **kwargs):
        get_token(self.request)  # as a form that posts would
        return context(self, **kwargs)

    with mock.patch.object(views.ArticleDetailView, "get_context_data", with_token):
        assert "csrftoken" in get(client, article.get_absolute_url()).cookies
    unrelated_edit()
    client.cookies.clear()
    assert get(client, article.get_absolute_url())["X-Render-Cache"] == "miss"


def test_a_render_with_a_cookie_is_not_kept(client, article):
    render = views.ArticleDetailView.render_to_response

    def with_cookie(self, context, **kwargs):
        response = render(self, context, **kwargs)
        response.set_cookie("gezien", "1")
        return response

    with mock.patch.object(views.ArticleDetailView, "render_to_response", with_cookie):
        assert "gezien" in get(client, article.get_absolute_url()).cookies
    unrelated_edit()
    client.cookies.clear()
    assert get(client, article.get_absolute_url())["X-Render-Cache"] == "miss"


@pytest.mark.parametrize("url", ["article", "/feed/"])
def test_a_render_is_kept_in_one_piece_and_compressed_once(client, article, url):
    url = url_of(article, url)
    with mock.patch.object(render_cache.cache, "set", wraps=cache.set) as kept:
        response = get(client, url)
    [(key, render, seconds)] = [c.args for c in kept.call_args_list if "rendered" in c.args[0]]
    assert seconds == 86400
    assert isinstance(render.body, bytes) and render.body == response.content
    assert gzip.decompress(render.compressed["gzip"]) == render.body
    assert brotli.decompress(render.compressed["br"]) == render.body
    assert render.content_type == response["Content-Type"]


def test_another_page_of_a_list_is_another_render(client, article):
    for n in range(25):
        make_article(title=f"Bericht {n}")
    first = get(client, "/")
    second = get(client, "/?page=2")
    assert second["X-Render-Cache"] == "miss"
    assert second.content != first.content


def test_a_tracking_parameter_is_the_same_render(client, article):
    first = get(client, "/land/marokko/")
    tracked = get(client, "/land/marokko/?utm_source=nieuwsbrief")
    assert (tracked["X-Page-Cache"], tracked["X-Render-Cache"]) == ("miss", "hit")
    assert tracked.content == first.content
    # A parameter the page does use is another render.
    assert get(client, "/land/marokko/?onderwerp=defensie")["X-Render-Cache"] == "miss"
