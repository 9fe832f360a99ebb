"""Real app servers for tests: gunicorn processes, and just enough of a browser to use them."""

import http.cookies
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import closing, contextmanager
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, "manage.py"]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Just enough of a browser: cookies (also the https-only ones), forms, no redirects."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        self.opener = self.opener_without_redirects()

    @staticmethod
    def opener_without_redirects():
        return urllib.request.build_opener(NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.read().decode()

    def csrf_token(self, html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def free_port():
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(**variables):
    """The environment of a production-like server: DEBUG off, none of the test run's DJANGO_*."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SECRET_KEY": "server-test-only",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        **variables,
    }


def manage(env, *command):
    subprocess.run(MANAGE + list(command), cwd=ROOT, env=env, check=True, capture_output=True)


@contextmanager
def gunicorn(env, workers=2, healthy=True):
    """Run `make serve`'s gunicorn (config/gunicorn.py) on a free port; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"],
        cwd=ROOT, env={**env, "WEB_CONCURRENCY": str(workers), "BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process, healthy)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def wait_until_up(base, process, healthy=True):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server at {base} stopped: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError:
            if not healthy:
                return
            time.sleep(0.3)
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server at {base} did not come up")


class _FormFields(HTMLParser):
    """The fields a browser would send from the form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a["name"], ""]
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_fields(html, form_id):
    """Return [(name, value)] of the form `form_id` in `html`, as a browser would post it."""
    parser = _FormFields(form_id)
    parser.feed(html)
    return [(name, unescape(value).lstrip("\n")) for name, value in parser.fields]


EDITOR, PASSWORD = "chef", "server-test-1"


def demo_site_env(var_dir, **variables):
    """A production-like environment on its own SQLite file and file cache (no DATABASE_URL
    or REDIS_URL unless given), migrated, with the demo and a superuser EDITOR."""
    env = server_env(DJANGO_VAR_DIR=str(var_dir), DJANGO_SUPERUSER_PASSWORD=PASSWORD)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(variables)
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo"],
        ["createsuperuser", "--noinput", "--username", EDITOR, "--email", "c@example.org"],
    ):
        manage(env, *command)
    return env


def log_in(base):
    """Return a Browser logged in to the admin as EDITOR."""
    editor = Browser(base)
    _, login = editor.request("/admin/login/")
    status, _ = editor.request(
        "/admin/login/",
        {"username": EDITOR, "password": PASSWORD, "next": "/admin/",
         "csrfmiddlewaretoken": editor.csrf_token(login)},
    )  # fmt: skip
    assert status == 302
    return editor


def article_action(editor, action, article_id):
    """Run a bulk action of the article list on one article; return the status."""
    token = editor.csrf_token(editor.request("/admin/news/article/")[1])
    return editor.request(
        "/admin/news/article/",
        {"action": action, "_selected_action": [article_id], "index": "0",
         "csrfmiddlewaretoken": token},
    )[0]  # fmt: skip


# Newer news from elsewhere: Lees meer beside the demo's articles is then their own.
MORE_NEWS = """
from datetime import timedelta
from django.utils import timezone
from news.models import Article, Country
jordan = Country.objects.get(code="JO")
for n in range(15):
    article = Article.objects.create(
        title=f"Waterbericht {n}", lead=f"Over water in Jordanië, deel {n}.", body="Tekst.",
        status=Article.Status.PUBLISHED, country=jordan,
        published_at=timezone.now() - timedelta(minutes=n + 1),
    )
    article.countries.set([jordan])
    article.topics.set(["waterbeheer"])
"""


def fetch(url):
    """GET `url` as a reader (no cookie); return (status, headers, text)."""
    try:
        response = urllib.request.urlopen(url, timeout=20)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read().decode()


def article_links(html):
    return set(re.findall(r'href="(/artikel/\d+-[^"]+/)"', html))


def first_article(reader):
    """Return (URL, id) of the front page's top story."""
    link = re.search(r'<h2[^>]*><a href="(/artikel/(\d+)-[^"]+)">', reader.request("/")[1])
    return link.group(1), link.group(2)
