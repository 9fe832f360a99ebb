"""Review by the final editors: a writer submits a draft, a final editor sends it back or
publishes it; the queue, the notes, the revisions, and what a writer may not do."""

import pytest
from django.core.exceptions import PermissionDenied

from news import newsroom
from news.models import Article, Review, Revision

from .conftest import change_url, form_data, make_article

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/news/article/"
QUEUE_URL = "/admin/news/article/?eindredactie=klaar"


@pytest.fixture
def draft():
    return make_article(title="Droogte in de Souss", status=Article.Status.DRAFT, published_at=None)


def submit(client, article, note, **fields):
    fields = {"status": "draft", "review_note": note, "_ter_eindredactie": "1", **fields}
    data = form_data(article, **fields)
    return client.post(change_url(article), data)


def send_back(client, article, note):
    article.refresh_from_db()
    data = form_data(article, status="draft", review_note=note, _terugsturen="1")
    return client.post(change_url(article), data)


def notes(article):
    return list(
        Revision.objects.filter(article_id=article.pk).order_by("pk").values_list("note", flat=True)
    )


def test_the_round_trip(client, writer, final_editor, draft):
    writer.first_name, writer.last_name = "Karim", "Benali"
    writer.save()
    final_editor.first_name = "Fatima"
    final_editor.save()

    # The writer submits, saving her text at the same time.
    client.force_login(writer)
    response = submit(client, draft, "Graag nakijken: cijfers uit 2023.", title="Droogte in Souss")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Droogte in Souss"
    assert draft.review.state == Review.State.SUBMITTED
    assert list(newsroom.review_queue()) == [draft]
    # Her form says it waits; she can submit again, she cannot send back.
    page = client.get(change_url(draft)).content.decode()
    assert "Klaar voor eindredactie</strong>" in page
    assert "Graag nakijken: cijfers uit 2023." in page
    assert 'name="_terugsturen"' not in page

    # The final editor sees the count on the index, linking to the queue.
    client.force_login(final_editor)
    index = client.get("/admin/").content.decode()
    assert f'<a href="{QUEUE_URL}">1 artikel wacht op eindredactie</a>' in index
    queue = client.get(QUEUE_URL).content.decode()
    assert "Droogte in Souss" in queue
    assert '<span class="badge badge-review">Klaar voor eindredactie</span>' in queue
    page = client.get(change_url(draft)).content.decode()
    assert 'name="_terugsturen"' in page and 'name="_ter_eindredactie"' not in page

    # She sends it back with a note.
    response = send_back(client, draft, "De bron ontbreekt nog.")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.review.state == Review.State.RETURNED
    assert not newsroom.review_queue().exists()
    client.get("/admin/")  # shows and so clears the message "... is opgeslagen"
    assert "Droogte in Souss" not in client.get(QUEUE_URL).content.decode()

    # The writer sees the note on her form, in the list and on the index.
    client.force_login(writer)
    page = client.get(change_url(draft)).content.decode()
    assert "Teruggestuurd naar de redacteur</strong>" in page
    assert "door Fatima op" in page and "De bron ontbreekt nog." in page
    listed = client.get(LIST_URL).content.decode()
    assert "Teruggestuurd" in listed and "De bron ontbreekt nog." in listed
    assert (
        "1 artikel is teruggestuurd door de eindredactie" in client.get("/admin/").content.decode()
    )

    # She resubmits; the final editor publishes with the form: out of the queue.
    draft.refresh_from_db()
    assert submit(client, draft, "Bron toegevoegd.", source="ANP").status_code == 302
    client.force_login(final_editor)
    draft.refresh_from_db()
    response = client.post(change_url(draft), form_data(draft, source="ANP", status="published"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_published
    assert not Review.objects.exists()
    assert "wacht op eindredactie" not in client.get("/admin/").content.decode()

    # Each step is in the revisions, and so in the revisions view.
    assert notes(draft) == [
        "Ingediend voor eindredactie door Karim Benali: Graag nakijken: cijfers uit 2023.",
        "Teruggestuurd door Fatima: De bron ontbreekt nog.",
        "Ingediend voor eindredactie door Karim Benali: Bron toegevoegd.",
        "",  # published
    ]
    history = client.get(f"/admin/news/article/{draft.pk}/revisies/").content.decode()
    assert "Teruggestuurd door Fatima: De bron ontbreekt nog." in history


def test_publishing_from_the_list_or_scheduling_empties_the_queue(final_editor, writer):
    first = make_article(status=Article.Status.DRAFT, published_at=None)
    second = make_article(status=Article.Status.DRAFT, published_at=None)
    newsroom.submit_for_review(first, writer)
    newsroom.submit_for_review(second, writer)
    assert newsroom.review_queue().count() == 2
    newsroom.publish(Article.objects.filter(pk=first.pk), final_editor)
    newsroom.schedule(second, final_editor, second.created_at.replace(year=2100))
    assert not Review.objects.exists()


def test_sending_back_needs_a_note(client, final_editor, writer, draft):
    newsroom.submit_for_review(draft, writer, "Klaar.")
    client.force_login(final_editor)
    response = send_back(client, draft, "  ")
    assert response.status_code == 200
    assert "Schrijf erbij wat er nog moet gebeuren" in response.content.decode()
    assert Review.objects.get().state == Review.State.SUBMITTED


def test_a_writer_cannot_send_back_or_publish_by_forging_posts(client, writer, draft):
    newsroom.submit_for_review(draft, writer, "Klaar.")
    client.force_login(writer)
    response = send_back(client, draft, "Zelf teruggestuurd.")
    assert response.status_code == 403
    assert Review.objects.get().state == Review.State.SUBMITTED
    # Submitting with a status of "published" leaves a draft (the writer's status is read-only).
    draft.refresh_from_db()
    submit(client, draft, "Nog eens.", status="published")
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    # The list's bulk publish is refused as well.
    client.post(LIST_URL, {"action": "publish_now", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert Review.objects.get().state == Review.State.SUBMITTED
    assert "Teruggestuurd" not in " ".join(notes(draft))


def test_the_newsroom_refuses_what_roles_do_not_allow(writer, final_editor, draft):
    with pytest.raises(PermissionDenied):
        newsroom.send_back(draft, writer, "Mag niet.")
    with pytest.raises(PermissionDenied):  # not submitted: nothing to send back
        newsroom.send_back(draft, final_editor, "Er wacht niets.")
    live = make_article(title="Al online")
    with pytest.raises(PermissionDenied):  # a writer may not edit it, and it is no draft
        newsroom.submit_for_review(live, writer, "Graag nog eens.")
    assert not Review.objects.exists()


def test_a_writer_may_submit_a_new_article(client, writer):
    client.force_login(writer)
    response = client.post(
        "/admin/news/article/add/",
        form_data(review_note="Nieuw stuk.", _ter_eindredactie="1", status="draft"),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.review.state == Review.State.SUBMITTED
    assert article.review.note == "Nieuw stuk."


def test_the_index_count_and_filter_cost_no_query_per_article(
    client, final_editor, writer, django_assert_max_num_queries
):
    for _ in range(5):
        newsroom.submit_for_review(
            make_article(status=Article.Status.DRAFT, published_at=None), writer
        )
    client.force_login(final_editor)
    assert "5 artikelen wachten op eindredactie" in client.get("/admin/").content.decode()
    with django_assert_max_num_queries(12):
        listed = client.get(QUEUE_URL).content.decode()
    assert listed.count('<span class="badge badge-review">') == 5
