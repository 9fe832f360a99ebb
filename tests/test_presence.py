"""Presence: "Karim bewerkt dit artikel sinds 14:02", from the open forms' heartbeats."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from news import presence
from news.models import Article, Presence

from .conftest import change_url, make_article

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def url(article):
    return f"/admin/news/article/{article.pk}/aanwezig/"


@pytest.fixture
def karim(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        "karim", password="x", is_staff=True, first_name="Karim", last_name="Benali"
    )
    user.groups.add(Group.objects.get(name="Eindredacteur"))
    return user


@pytest.fixture
def draft():
    return make_article(status=Article.Status.DRAFT, published_at=None)


def beat(client, article, tab="tab1", **extra):
    return client.post(url(article), {"tab": tab, **extra})


def test_the_heartbeat_lists_the_others_with_the_time_they_opened_it(client, karim, writer, draft):
    client.force_login(karim)
    response = beat(client, draft)
    assert response.status_code == 200
    assert response.json() == {"others": []}  # not herself
    opened = Presence.objects.get().opened_at.astimezone(AMSTERDAM).strftime("%H:%M")

    client.force_login(writer)
    others = beat(client, draft, tab="tab2").json()["others"]
    assert others == [
        {
            "name": "Karim Benali",
            "since": opened,
            "text": f"Karim Benali bewerkt dit artikel sinds {opened}",
        }
    ]
    # On the form (before any script runs) and in the list.
    assert (
        f"Karim Benali bewerkt dit artikel sinds {opened}"
        in client.get(change_url(draft)).content.decode()
    )
    listed = client.get("/admin/news/article/").content.decode()
    assert f'<span class="presence-list">Karim Benali bewerkt sinds {opened}</span>' in listed


def test_several_editors_at_once_earliest_first(karim, writer, final_editor, draft):
    start = datetime(2024, 5, 4, 12, 2, 50, tzinfo=ZoneInfo("UTC"))  # 14:02 in Amsterdam
    presence.beat(draft, karim, "a", now=start)
    presence.beat(draft, writer, "b", now=start + timedelta(seconds=20))
    presence.beat(draft, karim, "c", now=start + timedelta(seconds=30))  # a second tab
    others = presence.others(draft, final_editor, now=start + timedelta(seconds=40))
    assert [o["text"] for o in others] == [
        "Karim Benali bewerkt dit artikel sinds 14:02",
        "schrijver bewerkt dit artikel sinds 14:03",
    ]


def test_a_tab_not_heard_from_for_a_minute_is_gone(settings, karim, writer, draft):
    settings.PRESENCE_TIMEOUT_SECONDS = 60
    start = datetime(2024, 5, 4, 12, 2, tzinfo=ZoneInfo("UTC"))
    presence.beat(draft, karim, "a", now=start)
    presence.beat(draft, karim, "a", now=start + timedelta(seconds=20))
    assert presence.others(draft, writer, now=start + timedelta(seconds=80))
    assert not presence.others(draft, writer, now=start + timedelta(seconds=81))
    # The next heartbeat of anyone clears it away; her next one starts over.
    presence.beat(draft, writer, "b", now=start + timedelta(seconds=90))
    assert not Presence.objects.filter(user=karim).exists()
    presence.beat(draft, karim, "a", now=start + timedelta(minutes=10))
    since = presence.others(draft, writer, now=start + timedelta(minutes=10))[0]["since"]
    assert since == "14:12"


def test_the_timeout_is_a_setting(settings, karim, writer, draft):
    settings.PRESENCE_TIMEOUT_SECONDS = 2
    start = datetime(2024, 5, 4, 12, 2, tzinfo=ZoneInfo("UTC"))
    presence.beat(draft, karim, "a", now=start)
    assert not presence.others(draft, writer, now=start + timedelta(seconds=3))


def test_leaving_ends_it_at_once_and_only_for_that_tab(client, karim, writer, draft):
    client.force_login(karim)
    beat(client, draft, tab="one")
    beat(client, draft, tab="two")
    beat(client, draft, tab="one", leaving="1")
    assert presence.others(draft, writer)  # the other tab is still open
    beat(client, draft, tab="two", leaving="1")
    assert not presence.others(draft, writer)


def test_anonymous_gets_nothing_and_records_nothing(client, draft):
    response = beat(client, draft)
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Presence.objects.exists()


def test_only_post_with_a_csrf_token(karim, draft):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(karim)
    assert strict.get(url(draft)).status_code == 405
    assert beat(strict, draft).status_code == 403
    assert not Presence.objects.exists()


def test_not_for_an_article_she_may_not_open(client, django_user_model, karim, draft):
    presence.beat(draft, karim, "a")
    outsider = django_user_model.objects.create_user("gast", password="x", is_staff=True)
    outsider.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(outsider)
    assert beat(client, draft).status_code == 403
    assert client.post("/admin/news/article/999999/aanwezig/", {"tab": "a"}).status_code == 404
    assert not Presence.objects.filter(user=outsider).exists()


def test_a_reader_of_a_live_article_sees_the_others_without_counting(client, karim, writer):
    live = make_article(title="Al gepubliceerd")
    presence.beat(live, karim, "a")
    client.force_login(writer)  # may open it, not change it
    others = beat(client, live).json()["others"]
    assert [o["name"] for o in others] == ["Karim Benali"]
    assert not Presence.objects.filter(user=writer).exists()


def test_a_made_up_tab_is_refused(client, karim, draft):
    client.force_login(karim)
    assert beat(client, draft, tab="<script>").status_code == 400
    assert beat(client, draft, tab="x" * 41).status_code == 400
    assert not Presence.objects.exists()
