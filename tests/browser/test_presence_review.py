"""Two editors in Chromium: who else has an article open, and the road from writer to
final editor ("Klaar voor eindredactie", "Terugsturen naar redacteur", publishing)."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from news.models import Article
from tests.browser.helpers import log_in
from tests.conftest import make_article

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def quick_presence(settings):
    # Heartbeats every second, gone after three: the test does not wait a minute.
    settings.PRESENCE_HEARTBEAT_SECONDS = 1
    settings.PRESENCE_TIMEOUT_SECONDS = 3


@pytest.fixture
def karim(django_user_model):
    user = django_user_model.objects.create_user(
        "karim", password="x", is_staff=True, first_name="Karim", last_name="Benali"
    )
    user.groups.add(Group.objects.get(name="Eindredacteur"))
    return user


def draft(**kw):
    return make_article(status=Article.Status.DRAFT, published_at=None, **kw)


def since_just_now(name):
    """Match "<name> bewerkt dit artikel sinds HH:MM" with the time of the last minute.

    Read from the clock, not the database: the live server shares the test's in-memory
    database connection, and the pages' heartbeats keep it busy.
    """
    now = timezone.localtime()
    times = {f"{t:%H:%M}" for t in (now, now - timedelta(minutes=1))}
    return re.compile(rf"{name} bewerkt dit artikel sinds ({'|'.join(times)})")


def test_editors_see_who_else_has_the_article_open(
    new_page, quick_presence, karim, final_editor, screenshot
):
    final_editor.first_name = "Fatima"
    final_editor.save()
    article = draft(title="Staking in de haven van Tanger")
    url = f"/admin/news/article/{article.pk}/change/"
    first, second = new_page(), new_page()
    log_in(first, karim)
    log_in(second, final_editor)

    first.goto(url)
    second.goto(url)
    notice = second.locator("#presence")
    expect(notice).to_contain_text(since_just_now("Karim Benali"))
    # Karim's form learns of Fatima with its next heartbeat, without a reload.
    expect(first.locator("#presence")).to_contain_text(since_just_now("Fatima"))
    screenshot(second, "presence-form")

    # The list shows it too.
    second_list = new_page()
    log_in(second_list, final_editor)
    second_list.goto("/admin/news/article/")
    row = second_list.get_by_role("row").filter(has_text=article.title)
    expect(row).to_contain_text("Karim Benali bewerkt sinds")

    # Karim closes the tab: gone from Fatima's form without a reload.
    first.close()
    expect(notice).to_be_hidden()
    expect(notice).not_to_contain_text("Karim")


def test_a_tab_that_stops_reporting_drops_out_after_the_timeout(
    new_page, quick_presence, karim, final_editor
):
    article = draft(title="Nieuwe spoorlijn naar Marrakesh")
    url = f"/admin/news/article/{article.pk}/change/"
    first, second = new_page(), new_page()
    log_in(first, karim)
    log_in(second, final_editor)
    first.goto(url)
    second.goto(url)
    notice = second.locator("#presence")
    expect(notice).to_contain_text("Karim Benali bewerkt dit artikel")
    # His network goes: no heartbeat, and no last word either. Three seconds later, gone.
    first.context.set_offline(True)
    expect(notice).to_be_hidden()


def test_from_writer_to_final_editor_and_back_without_leaving_the_admin(
    new_page, writer, final_editor, screenshot
):
    writer.first_name = "Samira"
    writer.save()
    final_editor.first_name = "Fatima"
    final_editor.save()
    article = draft(title="Oogst van arganolie valt tegen", lead="De droogte raakt de oogst.")
    schrijver, eind = new_page(), new_page()
    log_in(schrijver, writer)
    log_in(eind, final_editor)
    expect(eind.get_by_text("Er wachten geen artikelen op eindredactie.")).to_be_visible()

    # The writer improves the lead and submits it with a note.
    schrijver.get_by_role("link", name="Artikelen").first.click()
    schrijver.get_by_role("link", name=article.title).click()
    schrijver.get_by_label("Intro:", exact=True).fill("De droogte halveert de oogst.")
    schrijver.get_by_label("Toelichting voor de eindredactie").fill("Cijfers van de coöperatie.")
    schrijver.get_by_role("button", name="Klaar voor eindredactie").click()
    expect(schrijver.locator(".messagelist")).to_contain_text("klaar voor de eindredactie")
    expect(schrijver.get_by_role("row").filter(has_text=article.title)).to_contain_text(
        "Klaar voor eindredactie"
    )

    # The final editor finds it on the index, in the queue, and sends it back.
    eind.goto("/admin/")
    eind.get_by_role("link", name="1 artikel wacht op eindredactie").click()
    expect(eind).to_have_url(re.compile(r"\?eindredactie=klaar$"))
    queued = eind.get_by_role("link", name=article.title)
    expect(queued).to_be_visible()
    screenshot(eind, "review-queue")
    queued.click()
    expect(eind.locator(".review-notice")).to_contain_text("Cijfers van de coöperatie.")
    expect(eind.get_by_label("Intro:", exact=True)).to_have_value("De droogte halveert de oogst.")
    eind.get_by_label("Wat moet de redacteur nog doen?").fill("Noem de bron van de cijfers.")
    eind.get_by_role("button", name="Terugsturen naar redacteur").click()
    expect(eind.locator(".messagelist")).to_contain_text("teruggestuurd naar de redacteur")

    # The writer sees the note on the index, in the list and on her form; she resubmits.
    schrijver.goto("/admin/")
    schrijver.get_by_role("link", name="1 artikel is teruggestuurd").click()
    expect(schrijver.get_by_role("row").filter(has_text=article.title)).to_contain_text(
        "Noem de bron van de cijfers."
    )
    schrijver.get_by_role("link", name=article.title).click()
    expect(schrijver.locator(".review-notice")).to_contain_text(
        "Teruggestuurd naar de redacteur door Fatima"
    )
    expect(schrijver.locator(".review-notice")).to_contain_text("Noem de bron van de cijfers.")
    screenshot(schrijver, "review-returned-form")
    schrijver.get_by_label("Titel:", exact=True).fill("Oogst van arganolie halveert")
    schrijver.get_by_label("Toelichting voor de eindredactie").fill("Bron staat erbij.")
    schrijver.get_by_role("button", name="Klaar voor eindredactie").click()
    expect(schrijver.locator(".messagelist")).to_contain_text("klaar voor de eindredactie")

    # The final editor publishes it: out of the queue.
    eind.goto("/admin/")
    screenshot(eind, "review-index")
    eind.get_by_role("link", name="1 artikel wacht op eindredactie").click()
    eind.get_by_role("link", name="Oogst van arganolie halveert").click()
    eind.get_by_label("Status:", exact=True).select_option(label="Gepubliceerd")
    eind.get_by_role("button", name="Opslaan", exact=True).click()
    expect(eind.locator(".messagelist")).to_contain_text("zijn opgeslagen")
    eind.goto("/admin/")
    expect(eind.get_by_text("Er wachten geen artikelen op eindredactie.")).to_be_visible()
    for page in (schrijver, eind):  # quiet, before the test reads the shared database
        page.context.set_offline(True)
        page.close()
    article.refresh_from_db()
    assert article.is_published and article.title == "Oogst van arganolie halveert"
