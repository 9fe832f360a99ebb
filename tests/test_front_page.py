"""The front page: a lead story with its picture, and a sidebar that fills its column."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from .conftest import make_article
from .library import with_image as with_library_image

pytestmark = pytest.mark.django_db


def ago(**kw):
    return timezone.now() - timedelta(**kw)


def top_story(html):
    return html[html.index('<article class="top-story">') : html.index("</article>")]


def sidebar(html):
    return html[html.index('<aside class="front-tags"') : html.index("</aside>")]


def with_image(**kw):
    return with_library_image(image_kw={"alt": "Foto."}, **kw)


def test_the_newest_story_with_an_image_leads_and_newer_ones_head_the_list(client):
    pictured = with_image(title="Met foto", published_at=ago(hours=3))
    make_article(title="Nieuwer zonder foto", published_at=ago(hours=1))
    html = client.get("/").content.decode()
    top = top_story(html)
    assert "Met foto" in top and "<picture>" in top and "<img " in top
    titles = re.findall(r'class="teaser-title"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == ["Nieuwer zonder foto"]  # nothing lost, newest first
    assert pictured.get_absolute_url() in top


def test_without_any_image_the_newest_story_leads(client):
    make_article(title="Ouder", published_at=ago(hours=3))
    make_article(title="Nieuwst", published_at=ago(hours=1))
    assert "Nieuwst" in top_story(client.get("/").content.decode())


def test_the_demo_front_page_leads_with_a_picture_and_fills_its_sidebar(client):
    call_command("load_demo", verbosity=0)
    html = client.get("/").content.decode()
    assert "<img " in top_story(html)
    side = sidebar(html)
    assert "Nieuws per land" in side
    # The topics as the editors typed them, not lower-cased.
    assert '<a href="/onderwerp/defensie/">Defensie</a>' in side
    css = (settings.BASE_DIR / "static/css/site.css").read_text(encoding="utf-8")
    assert "text-transform" not in re.sub(r"\.kicker[^}]+}", "", css)


def test_sidebar_shows_the_latest_headlines_of_the_most_used_countries(client):
    for i in range(6):
        make_article(title=f"Marokko {i}", countries=["MA"], published_at=ago(hours=10 + i))
    make_article(title="Rusland oud", countries=["RU"], published_at=ago(days=3))
    make_article(title="Rusland nieuw", countries=["RU"], published_at=ago(days=1))
    make_article(title="Concept", countries=["RU"], status="draft", published_at=ago(hours=1))
    make_article(
        title="Gepland", countries=["RU"], published_at=timezone.now() + timedelta(hours=1)
    )
    side = sidebar(client.get("/").content.decode())
    sections = re.findall(
        r'<section class="country-headlines".*?<h3[^>]*><a [^>]+>([^<]+)</a></h3>(.*?)</section>',
        side,
        re.S,
    )
    headlines = {
        name: re.findall(r'<li><a href="[^"]+">([^<]+)</a>', body) for name, body in sections
    }
    assert list(headlines) == ["Marokko", "Rusland"]  # most used first
    assert headlines["Marokko"] == ["Marokko 0", "Marokko 1", "Marokko 2", "Marokko 3"]
    assert headlines["Rusland"] == ["Rusland nieuw", "Rusland oud"]
