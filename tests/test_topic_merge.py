import pytest

from news.models import Topic, TopicAlias

from .conftest import make_article

pytestmark = pytest.mark.django_db


def test_merging_topics_moves_every_article_and_keeps_old_links(client, final_editor):
    both = make_article(topics=["leger", "krijgsmacht"])
    only_old = make_article(topics=["krijgsmacht"])
    only_new = make_article(topics=["leger"])
    third = make_article(topics=["Armee"])
    keep, old, other = (Topic.objects.get(name=n) for n in ("leger", "krijgsmacht", "Armee"))
    client.force_login(final_editor)

    selected = {"action": "merge", "_selected_action": [keep.pk, old.pk, other.pk]}
    confirm = client.post("/admin/news/topic/", selected)
    assert "Samenvoegen tot" in confirm.content.decode()
    response = client.post(
        "/admin/news/topic/", {**selected, "target": keep.pk, "samenvoegen": "1"}, follow=True
    )
    assert "3 onderwerpen samengevoegd tot “leger”" in response.content.decode()

    assert list(Topic.objects.filter(name__in=["leger", "krijgsmacht", "Armee"])) == [keep]
    for article in (both, only_old, only_new, third):
        assert [t.name for t in article.topics.all()] == ["leger"]

    for path in ("", "feed/", "feed/atom/", "feed/json/"):
        response = client.get(f"/onderwerp/krijgsmacht/{path}")
        assert response.status_code == 301
        assert response["Location"] == f"/onderwerp/leger/{path}"
    assert client.get("/onderwerp/armee/?page=2")["Location"] == "/onderwerp/leger/?page=2"
    assert client.get("/onderwerp/bestaat-niet/").status_code == 404


def test_merging_twice_follows_the_chain(client):
    make_article(topics=["a-onderwerp"])
    make_article(topics=["b-onderwerp"])
    make_article(topics=["c-onderwerp"])
    from news.merging import merge_topics

    a, b, c = (Topic.objects.get(name=n) for n in ("a-onderwerp", "b-onderwerp", "c-onderwerp"))
    merge_topics(b, [a])
    merge_topics(c, [b])
    assert TopicAlias.objects.get(slug="a-onderwerp").topic == c
    assert client.get("/onderwerp/a-onderwerp/")["Location"] == "/onderwerp/c-onderwerp/"


def test_merge_needs_the_delete_permission(client, django_user_model):
    from django.contrib.auth.models import Group

    writer = django_user_model.objects.create_user("s", password="x", is_staff=True)
    writer.groups.add(Group.objects.get(name="Redacteur"))
    make_article(topics=["x1"])
    make_article(topics=["x2"])
    client.force_login(writer)
    pks = list(Topic.objects.values_list("pk", flat=True))
    client.post(
        "/admin/news/topic/",
        {"action": "merge", "_selected_action": pks, "target": pks[0], "samenvoegen": "1"},
    )
    assert Topic.objects.count() == 2
