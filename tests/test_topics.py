"""The topic vocabulary: merged names keep leading to the survivor; names and slugs fit URLs."""

import pytest

from news import newsroom
from news.models import Article, Topic

from .conftest import change_url, form_data, make_article

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/news/article/add/"


@pytest.fixture
def merged(final_editor):
    """ "Landbouw" merged into "Handel"; one article on Spain and trade."""
    make_article(topics=["Landbouw"])
    make_article(title="Graanhandel", countries=["ES"], topics=["Handel"])
    handel = Topic.objects.get(name="Handel")
    newsroom.merge_topics(handel, list(Topic.objects.filter(name="Landbouw")), final_editor)
    return handel


def test_typing_a_merged_name_tags_the_survivor(client, merged, final_editor):
    client.force_login(final_editor)
    for typed in ("Landbouw", "landbouw", "LANDBOUW"):
        response = client.post(ADD_URL, form_data(status="draft", topics=typed, title=typed))
        assert response.status_code == 302
        article = Article.objects.get(title=typed)
        assert [t.name for t in article.topics.all()] == ["Handel"]
    assert not Topic.objects.filter(name__iexact="landbouw").exists()
    assert client.get("/onderwerp/landbouw/").status_code == 301


def test_a_merged_slug_redirects_pages_feeds_and_combined_filters(client, merged):
    for url, target in [
        ("/onderwerp/landbouw/", "/onderwerp/handel/"),
        ("/onderwerp/landbouw/feed/", "/onderwerp/handel/feed/"),
        ("/land/spanje/?onderwerp=landbouw", "/land/spanje/?onderwerp=handel"),
        ("/land/spanje/feed/?onderwerp=landbouw", "/land/spanje/feed/?onderwerp=handel"),
        ("/land/spanje/feed/atom/?onderwerp=landbouw", "/land/spanje/feed/atom/?onderwerp=handel"),
    ]:
        response = client.get(url)
        assert response.status_code == 301, url
        assert response["Location"] == target
        assert client.get(target).status_code == 200
    assert client.get("/land/spanje/?onderwerp=bestaat-niet").status_code == 404


def test_the_topic_admin_refuses_a_merged_name(client, merged, final_editor):
    client.force_login(final_editor)
    response = client.post("/admin/news/topic/add/", {"name": "landbouw", "slug": "landbouw-2"})
    assert response.status_code == 200
    assert "Dit onderwerp is samengevoegd met “Handel”" in response.content.decode()


def test_one_topic_whatever_the_case_in_any_script(client, final_editor):
    make_article(topics=["Économie"])
    client.force_login(final_editor)
    response = client.post(ADD_URL, form_data(status="draft", topics="économie, İSTANBUL"))
    assert response.status_code == 302
    client.post(ADD_URL, form_data(status="draft", topics="ÉCONOMIE, i̇stanbul", title="Twee"))
    assert sorted(Topic.objects.values_list("name", flat=True)) == ["Économie", "İSTANBUL"]
    response = client.post("/admin/news/topic/add/", {"name": "économie", "slug": "x"})
    assert "Er bestaat al een onderwerp met deze naam." in response.content.decode()


@pytest.mark.parametrize("slug", ["défense-xq", "ملف-xq", "İ-xq"])
def test_a_topic_slug_is_ascii_or_refused_in_dutch(client, final_editor, slug):
    client.force_login(final_editor)
    response = client.post("/admin/news/topic/add/", {"name": "Nieuw onderwerp", "slug": slug})
    assert response.status_code == 200
    assert not Topic.objects.exists()
    assert "errornote" in response.content.decode()


@pytest.mark.parametrize(
    "name, slug", [("ملف خاص", "mlf-khs"), ("Défense", "defense"), ("İstanbul", "istanbul")]
)
def test_a_typed_topic_gets_an_ascii_slug_and_every_page_works(client, final_editor, name, slug):
    client.force_login(final_editor)
    article = make_article(title="Met onderwerp")
    response = client.post(change_url(article), form_data(article, topics=name))
    assert response.status_code == 302
    assert Topic.objects.get(name=name).slug == slug
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(f"/onderwerp/{slug}/").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    client.force_login(final_editor)
    assert client.get(f"/voorbeeld/{article.pk}/").status_code == 200


def test_an_empty_slug_is_made_from_the_name(client, final_editor):
    client.force_login(final_editor)
    response = client.post("/admin/news/topic/add/", {"name": "Ρωσία", "slug": ""})
    assert response.status_code == 302
    assert Topic.objects.get().slug == "rosia"


def test_a_topic_name_over_100_characters_is_refused_in_dutch_and_the_text_kept(
    client, final_editor
):
    client.force_login(final_editor)
    long_name = "landbouw" * 13  # 104 characters
    data = form_data(status="draft", topics=f"defensie, {long_name}", body="Mijn tekst blijft.")
    response = client.post(ADD_URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een onderwerp mag hoogstens 100 tekens lang zijn" in html
    assert "Mijn tekst blijft." in html
    assert not Article.objects.exists() and not Topic.objects.exists()
