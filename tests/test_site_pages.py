"""The editors' pages: Over ons, Colofon, Contact, Privacy."""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.contrib.auth.models import Group

from news.models import Page

pytestmark = pytest.mark.django_db

SLUGS = ["over-ons", "colofon", "contact", "privacy"]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_migration_gives_each_page_starter_text(client, slug):
    response = client.get(f"/{slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    page = Page.objects.get(slug=slug)
    assert f"<h1>{page.title}</h1>" in html and page.body_html.strip()
    assert page.body_html in html


def test_every_page_links_the_four_pages_in_its_footer(client):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    nav = footer[footer.index('aria-label="Over deze site"') :]
    for slug, label in zip(SLUGS, ["Over ons", "Colofon", "Contact", "Privacy"], strict=True):
        assert f'<a href="/{slug}/">{label}</a>' in nav


def test_unknown_slug_is_404(client):
    assert client.get("/bestaat-niet/").status_code == 404


def test_markdown_is_sanitised(client):
    page = Page.objects.create(
        title="Proef",
        slug="proef",
        body="Tekst **vet**.\n\n<script>alert(1)</script>\n\n"
        '[klik](javascript:alert(2)) <img src=x onerror="alert(3)">',
    )
    html = client.get(page.get_absolute_url()).content.decode()
    content = html[html.index("<h1>Proef</h1>") :]
    assert "<strong>vet</strong>" in content
    assert "<script>alert" not in html and "javascript:" not in html and "onerror" not in html


def test_the_pages_are_in_the_sitemap(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    urls = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    assert {f"http://testserver/{slug}/" for slug in SLUGS} <= urls


def test_saving_or_deleting_a_page_makes_the_cached_page_stale(client):
    first = client.get("/colofon/")
    assert client.get("/colofon/")["X-Page-Cache"] == "hit"
    page = Page.objects.get(slug="colofon")
    page.body = "Nieuwe tekst van het colofon."
    page.save()
    second = client.get("/colofon/")
    assert second["X-Page-Cache"] == "miss" and second.content != first.content
    assert "Nieuwe tekst van het colofon." in second.content.decode()
    page.delete()
    assert client.get("/colofon/").status_code == 404


def test_reader_pages_set_no_cookies(client):
    # The privacy page says so.
    for url in ["/", "/privacy/", "/zoeken/?q=marokko"]:
        assert not client.get(url).cookies, url


# --- Who edits them -------------------------------------------------------------------


def page_form(page, **overrides):
    return {"title": page.title, "body": page.body, **overrides}


def test_a_final_editor_edits_a_page_in_the_admin(client, final_editor):
    client.force_login(final_editor)
    page = Page.objects.get(slug="contact")
    url = f"/admin/news/page/{page.pk}/change/"
    assert client.get("/admin/news/page/").status_code == 200
    response = client.post(url, page_form(page, body="Mail ons: redactie@example.org."))
    assert response.status_code == 302, response.context["adminform"].form.errors
    page.refresh_from_db()
    assert page.slug == "contact"  # the address stays: links keep working
    assert "redactie@example.org" in client.get("/contact/").content.decode()


def test_a_final_editor_adds_a_page_but_not_at_an_address_the_site_uses(client, final_editor):
    client.force_login(final_editor)
    response = client.post(
        "/admin/news/page/add/", {"title": "Archief", "slug": "archief", "body": "x"}
    )
    assert response.status_code == 200 and not Page.objects.filter(slug="archief").exists()
    response = client.post(
        "/admin/news/page/add/", {"title": "Adverteren", "slug": "adverteren", "body": "Tekst."}
    )
    assert response.status_code == 302
    assert client.get("/adverteren/").status_code == 200


def test_a_writer_cannot_edit_pages(client, writer):
    client.force_login(writer)
    page = Page.objects.get(slug="contact")
    assert client.get("/admin/news/page/").status_code == 403
    response = client.post(f"/admin/news/page/{page.pk}/change/", page_form(page, body="Weg."))
    assert response.status_code == 403
    assert Page.objects.get(slug="contact").body == page.body


def test_the_roles_say_who_edits_pages():
    final = set(
        Group.objects.get(name="Eindredacteur").permissions.values_list("codename", flat=True)
    )
    writer = set(Group.objects.get(name="Redacteur").permissions.values_list("codename", flat=True))
    assert {"add_page", "change_page", "delete_page", "view_page"} <= final
    assert not {p for p in writer if p.endswith("_page")}


def test_the_meta_description_is_the_pages_text_escaped_once_on_one_line(client):
    Page.objects.create(
        title="Wie wij zijn",
        slug="wie-wij-zijn",
        body='## Redactie\n\nMarokko & Wereld maakt "nieuws" <b>met</b> zorg.\n\nTweede alinea.',
    )
    html = client.get("/wie-wij-zijn/").content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)">', html)
    assert description, "no one-line meta description"
    expected = 'Redactie Marokko & Wereld maakt "nieuws" met zorg. Tweede alinea.'
    assert unescape(description[1]) == expected
    shared = re.search(r'<meta property="og:description" content="([^"]*)">', html)
    assert unescape(shared[1]) == expected
