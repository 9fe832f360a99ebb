"""The newsroom speaks Dutch everywhere, in sentences that read right."""

import pytest

from news.models import Article

from .conftest import change_url, form_data, make_article

pytestmark = pytest.mark.django_db


def test_the_country_pickers_texts_are_dutch(client, final_editor):
    client.force_login(final_editor)
    catalog = client.get("/admin/jsi18n/").content.decode()
    for dutch in ("Kies %s door ze te selecteren", "Alle %s kiezen", "(klik om te wissen)",
                  "Geselecteerde %s verwijderen"):  # fmt: skip
        assert dutch in catalog


def test_messages_and_headings_read_as_dutch(client, final_editor):
    article = make_article(title="Een kop")
    client.force_login(final_editor)
    saved = client.post(change_url(article), form_data(article), follow=True).content.decode()
    assert "Wijzigingen in artikel “<a" in saved and "zijn opgeslagen." in saved
    assert "De artikel" not in saved
    assert "<h1>Kies een artikel om te wijzigen</h1>" in saved
    form = client.get(change_url(article)).content.decode()
    assert "<h1>Wijzig artikel</h1>" in form


def test_the_admin_index_has_no_english_names(client, admin_user):
    client.force_login(admin_user)
    index = client.get("/admin/").content.decode()
    for english in ("Model name", "Add link", "Change or view list link", "access attempts"):
        assert english not in index
    assert "Inlogpogingen" in index and "Inlogbeveiliging" in index


def test_a_refusal_is_a_dutch_page(client, writer):
    article = make_article()
    client.force_login(writer)
    response = client.post(f"/admin/news/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert Article.objects.filter(pk=article.pk).exists()
