"""Two editors on one article: the second save shows what the first changed, and keeps both."""

import pytest
from django.urls import reverse

from news.conflicts import merge_set, merge_text
from news.models import Article
from news.revisions import word_diff

from .conftest import change_url, form_data, make_article

pytestmark = pytest.mark.django_db

INTRO = "De luchtmacht krijgt nieuwe toestellen."
ADDED = " Het contract is 2 miljard waard."


@pytest.fixture
def colleague(django_user_model):
    return django_user_model.objects.create_superuser(
        "fatima", "f@example.org", "x", first_name="Fatima"
    )


def test_the_conflict_shows_their_change_and_keeps_both(client, final_editor, colleague):
    article = make_article(
        title="Oude titel", lead=INTRO, status=Article.Status.DRAFT, published_at=None
    )
    client.force_login(final_editor)
    client.post(change_url(article), form_data(article, lead=INTRO, status="draft"))
    article.refresh_from_db()
    opened = form_data(article, lead=INTRO, status="draft")  # both open this version

    client.force_login(colleague)
    their_save = client.post(change_url(article), {**opened, "lead": INTRO + ADDED})
    assert their_save.status_code == 302

    client.force_login(final_editor)
    mine = {**opened, "title": "Nieuwe titel"}
    refused = client.post(change_url(article), mine)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "intussen opgeslagen door Fatima" in html
    assert "Wat er intussen is veranderd" in html
    assert "<ins> Het contract is 2 miljard waard.</ins>" in html
    assert 'name="_keep_both"' in html

    # "Keep both": their sentence comes into her form, nothing is saved yet.
    form = refused.context["adminform"].form
    again = {**mine, "opened_version": form["opened_version"].value(),
             "conflict_base": form["conflict_base"].value()}  # fmt: skip
    merged = client.post(change_url(article), {**again, "_keep_both": "1"})
    assert merged.status_code == 200
    merged_form = merged.context["adminform"].form
    assert merged_form["lead"].value() == INTRO + ADDED
    assert merged_form["title"].value() == "Nieuwe titel"
    article.refresh_from_db()
    assert article.title == "Oude titel"

    saved = client.post(
        change_url(article),
        {**again, "lead": merged_form["lead"].value(), "_save": "Opslaan"},
    )
    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.title == "Nieuwe titel"
    assert article.lead == INTRO + ADDED


def test_the_revisions_link_opens_in_a_new_tab(client, final_editor):
    article = make_article()
    client.force_login(final_editor)
    html = client.get(change_url(article)).content.decode()
    url = reverse("admin:news_article_revisions", args=[article.pk])
    assert f'href="{url}" target="_blank"' in html


def test_a_writers_save_that_crosses_a_publication_is_refused_in_dutch_and_kept(
    client, writer, final_editor
):
    draft = make_article(title="Concept", status=Article.Status.DRAFT, published_at=None)
    opened = form_data(draft)
    opened.pop("status")  # a writer's form has no status field
    client.force_login(final_editor)
    client.post("/admin/news/article/", {"action": "publish_now", "_selected_action": [draft.pk]})

    client.force_login(writer)
    response = client.post(change_url(draft), {**opened, "body": "Mijn correctie van de tekst."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit artikel is intussen gepubliceerd of ingepland door eind op" in html
    assert "Mijn correctie van de tekst." in html
    draft.refresh_from_db()
    assert draft.body != "Mijn correctie van de tekst."
    assert draft.status == Article.Status.PUBLISHED


def test_three_way_merge_of_text():
    base = "Eerste zin. Tweede zin."
    assert merge_text(base, "Eerste zin, kort. Tweede zin.", "Eerste zin. Tweede zin!") == (
        "Eerste zin, kort. Tweede zin!"
    )
    assert merge_text(base, "Eerste zin. Derde zin.", "Eerste zin. Vierde zin.") is None
    assert merge_text(base, base, "Nieuw.") == "Nieuw."
    assert merge_text("a\r\nb", "a\r\nb c", "a\nb") == "a\nb c"
    assert merge_set(["a", "b"], ["a", "b", "c"], ["b", "d"]) == {"b", "c", "d"}


def test_the_diff_tokenizes_words_and_punctuation():
    before = "Eerste alinea.\n\nTweede alinea, met komma."
    after = "Eerste alinea.\n\nTweede alinea; met komma!"
    html = word_diff(before, after)
    assert html == (
        "Eerste alinea.\n\nTweede alinea<del>,</del><ins>;</ins> met komma<del>.</del><ins>!</ins>"
    )
    # A paragraph break is a change of its own, not of the words beside it.
    assert word_diff("Een. Twee.", "Een.\n\nTwee.") == "Een.<del> </del><ins>\n\n</ins>Twee."


def test_keeping_both_takes_their_publication_when_only_they_changed_it(
    client, final_editor, colleague
):
    article = make_article(title="Kop", status=Article.Status.DRAFT, published_at=None)
    client.force_login(final_editor)
    client.post(change_url(article), form_data(article, status="draft"))
    article.refresh_from_db()
    opened = form_data(article, status="draft")

    client.force_login(colleague)
    client.post(
        change_url(article),
        {**opened, "status": "published", "published_at_0": "04-05-2014",
         "published_at_1": "15:44:00"},
    )  # fmt: skip
    client.force_login(final_editor)
    refused = client.post(change_url(article), {**opened, "title": "Betere kop"})
    form = refused.context["adminform"].form
    merged = client.post(
        change_url(article),
        {**opened, "title": "Betere kop", "_keep_both": "1",
         "opened_version": form["opened_version"].value(),
         "conflict_base": form["conflict_base"].value()},
    ).context["adminform"].form  # fmt: skip
    assert merged["status"].value() == "published"
    assert merged.data["published_at_0"] == "04-05-2014"
    assert merged.data["published_at_1"] == "15:44:00"
    assert merged["title"].value() == "Betere kop"
