"""Bad input never gives a 500: every URL pattern, filled with malformed values, answers 2xx-4xx."""

import logging
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from news import revisions
from news.models import Topic

from .conftest import form_data, make_article
from .routes import all_routes, fill, params, valid_values

MALFORMED = [
    "9" * 40,  # beyond every integer column
    "9223372036854775808",  # one past the largest bigint
    "-1",
    "0",
    "NaN",
    "x" * 2000,  # very long
    "Ünïcödé-漢字-مرحبا-🙂",  # non-ASCII
    "../../../etc/passwd",
    "%2e%2e%2f",  # quoted once more: arrives as the text "%2e%2e%2f"
    "\x00",  # percent-encoded NUL: %00
    "1' OR '1'='1'; DROP TABLE news_article; --",
    '"><script>alert(1)</script>',
    "\r\nSet-Cookie: x=1",
    "défense-xq",  # slugs from other scripts and cases
    "ملف-xq",
    "İ-xq",
    "![" * 500,  # Markdown that is slow to render
]

# Query parameters, by the pages that read them.
READER_PARAMS = ["page", "p", "q", "onderwerp", "land"]
ADMIN_PARAMS = {
    "_changelist": ["q", "o", "p", "staat", "published_at__gte", "country__id__exact", "_to_field"],
    "autocomplete": ["term", "app_label", "model_name", "field_name"],
    "news_article_revisions": ["revisie"],
    "news_article_change": ["_to_field", "_popup", "_changelist_filters"],
}
# All of a page's parameters at once with each of these, then each parameter alone with NUL.
QUERY_VALUES = ["9" * 40, "-1", "x" * 2000, "Ünïcödé-🙂", "../", "\x00", "1' OR '1'='1'; --"]

# Archive dates that match the URL patterns but are no dates, or sit at their edges.
DATES = [
    ("2014", "02", "30"),
    ("2014", "13", "01"),
    ("2014", "00", "00"),
    ("2014", "12", "32"),
    ("2999", "12", "31"),
    ("1000", "01", "01"),
]


@pytest.fixture
def site(django_user_model):
    article = make_article(countries=["MA"], topics=["defensie"], byline="Redactie")
    revisions.record(article)
    return {
        "article": article,
        "topic": Topic.objects.get(name="defensie"),
        "superuser": django_user_model.objects.create_superuser("baas", "baas@example.org", "x"),
    }


def sweep(site, urls):
    """GET the URLs, the editors' as a superuser and the readers' anonymously; return 5xx."""
    reader = Client(raise_request_exception=False)
    editor = Client(raise_request_exception=False)
    editor.force_login(site["superuser"])
    staff_only = (reverse("admin:index"), "/voorbeeld/")
    failures = []
    # Thousands of "Not Found" warnings would only slow the sweep down; errors still show.
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.ERROR
    try:
        for url in urls:
            client = editor if url.startswith(staff_only) else reader
            status = client.get(url).status_code
            if not 200 <= status < 500:
                failures.append((url[:120], status))
    finally:
        request_log.setLevel(level)
    return failures


def valid_urls(site):
    """Return [(route, name, URL)] with every parameter pointing at something that exists."""
    return [(route, name, fill(route, valid_values(route, site))) for route, name in all_routes()]


def assert_no_server_errors(site, urls):
    failures = sweep(site, urls)
    if failures:
        pytest.fail("\n".join(f"{status} {url}" for url, status in failures), pytrace=False)


@pytest.mark.django_db
def test_the_sweep_covers_every_url_pattern_with_working_urls(site):
    urls = [url for *_, url in valid_urls(site)]
    assert len(urls) >= 80
    assert reverse("admin:news_article_change", args=[site["article"].pk]) in urls
    # The filled-in URLs reach the pages: the sweeps are not sweeps of 404s.
    editor = Client()
    editor.force_login(site["superuser"])
    day = {k: v for k, v in valid_values("", site).items() if k in ("year", "month", "day")}
    for url in (
        site["article"].get_absolute_url(),
        reverse("news:topic", kwargs={"slug": site["topic"].slug}),
        reverse("news:country_feed_json", kwargs={"slug": "marokko"}),
        reverse("news:archive_day", kwargs=day),
        reverse("admin:news_article_revisions", args=[site["article"].pk]),
    ):
        assert url in urls
        assert editor.get(url).status_code == 200, url


@pytest.mark.django_db
def test_malformed_path_values_never_give_a_server_error(site):
    urls = []
    for route, _ in all_routes():
        names = [name for name, _ in params(route)]
        if not names:
            continue
        valid = valid_values(route, site)
        for value in MALFORMED:
            # Every parameter malformed at once, and each one alone among valid ones.
            urls.append(fill(route, dict.fromkeys(names, value)))
            if len(names) > 1:
                urls += [fill(route, {**valid, name: value}) for name in names]
    assert len(urls) > 500
    assert_no_server_errors(site, urls)


def query_params(route, name):
    if not route.startswith(settings.ADMIN_PATH):
        return READER_PARAMS
    return next((p for end, p in ADMIN_PARAMS.items() if (name or "").endswith(end)), [])


@pytest.mark.django_db
def test_valid_and_malformed_query_values_never_give_a_server_error(site):
    urls = []
    for route, name, path in valid_urls(site):
        urls.append(path)
        names = query_params(route, name)
        if names:
            urls += [f"{path}?{urlencode(dict.fromkeys(names, v))}" for v in QUERY_VALUES]
            urls += [f"{path}?{urlencode({n: chr(0)})}" for n in names]
    assert len(urls) > 300
    assert_no_server_errors(site, urls)


@pytest.mark.django_db
def test_impossible_archive_dates_are_not_found(client):
    make_article()
    for year, month, day in DATES:
        for url in (f"/archief/{year}/{month}/{day}/", f"/archief/{year}/{month}/"):
            assert client.get(url).status_code == 404, url


# What the newsroom's forms and actions post, each field given the same malformed value.
POST_FIELDS = [
    "action", "_selected_action", "select_across", "index", "samenvoegen", "target",
    "title", "slug", "lead", "body", "status", "published_at_0", "published_at_1",
    "unpublish_at_0", "unpublish_at_1", "country", "countries", "topics", "byline", "source",
    "opened_version", "pins-TOTAL_FORMS", "pins-INITIAL_FORMS", "pins-0-pinned", "name",
    "_save", "post",
]  # fmt: skip
POST_VALUES = ["\x00", "9" * 40, "x" * 300 + "' OR '1'='1'; --"]
# Fields whose posted value is looked up as a key, each alone in an otherwise valid form.
LOOKED_UP = ["country", "countries", "pins-0-pinned"]


@pytest.mark.django_db
def test_malformed_admin_posts_never_give_a_server_error(site):
    editor = Client(raise_request_exception=False)
    editor.force_login(site["superuser"])
    posts = [
        (url, dict.fromkeys(POST_FIELDS, value))
        for route, name, url in valid_urls(site)
        if (name or "").startswith("news_")
        for value in POST_VALUES
    ]
    add = reverse("admin:news_article_add")
    for field in LOOKED_UP:
        data = form_data(**{"pins-TOTAL_FORMS": "1", "pins-0-pinned": site["article"].pk})
        posts += [(add, {**data, field: value}) for value in ("abc", "9" * 40)]
    for url, action in [
        (reverse("admin:news_article_changelist"), "publish_now"),
        (reverse("admin:news_article_changelist"), "delete_selected"),
        (reverse("admin:news_topic_changelist"), "merge"),
    ]:
        for value in ("abc", "9" * 40, "-1"):
            data = {"action": action, "_selected_action": value, "target": value, "post": "yes"}
            posts.append((url, {**data, "samenvoegen": "1"}))
    failures = []
    for url, data in posts:
        status = editor.post(url, data).status_code
        if not 200 <= status < 500:
            failures.append((status, url, {k: v[:20] for k, v in data.items() if v in POST_VALUES}))
    assert not failures, failures
