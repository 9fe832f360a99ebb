"""Two app servers on one PostgreSQL and one Redis: a change made through one shows at once
through the other. Runs in CI's PostgreSQL + Redis pass."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest

from .servers import ROOT, Browser, free_port, wait_until_up

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = pytest.mark.skipif(
    not (DATABASE_URL.startswith("postgres") and REDIS_URL),
    reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL",
)


@pytest.fixture
def two_servers():
    settings = dj_database_url.parse(DATABASE_URL)
    name = f"news_two_{uuid.uuid4().hex[:8]}"
    admin = {k: v for k, v in settings.items() if k in ("USER", "PASSWORD", "HOST", "PORT")}
    import psycopg

    def run_admin_sql(sql):
        with psycopg.connect(
            dbname="postgres",
            user=admin["USER"] or None,
            password=admin["PASSWORD"] or None,
            host=admin["HOST"] or None,
            port=admin["PORT"] or None,
            autocommit=True,
        ) as connection:
            connection.execute(sql)

    run_admin_sql(f'CREATE DATABASE "{name}"')
    database_url = DATABASE_URL.rsplit("/", 1)[0] + f"/{name}"
    # A Redis database of its own, away from the rest of the suite.
    redis_url = REDIS_URL.rsplit("/", 1)[0] + "/13"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_SECRET_KEY": "two-instances-test-only",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SUPERUSER_PASSWORD": "twee-servers-1",
    }
    manage = [sys.executable, "manage.py"]
    servers = []
    try:
        for command in (
            ["migrate", "--noinput", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
            ["load_demo"],
            ["createsuperuser", "--noinput", "--username", "chef", "--email", "c@example.org"],
        ):
            subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run(
            [sys.executable, "-c", "import redis,sys; redis.Redis.from_url(sys.argv[1]).flushdb()",
             redis_url], check=True)  # fmt: skip
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        for _ in range(2):
            port = free_port()
            process = subprocess.Popen(
                [gunicorn, "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                 "--no-control-socket"],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            servers.append((f"http://127.0.0.1:{port}", process))
        for base, process in servers:
            wait_until_up(base, process)
        yield [base for base, _ in servers]
    finally:
        for _, process in servers:
            process.terminate()
            process.wait(timeout=20)
        run_admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_change_through_one_server_shows_at_once_through_the_other(two_servers):
    one, other = Browser(two_servers[0]), Browser(two_servers[1])

    status, front = other.request("/")
    assert status == 200
    link = re.search(r'<h2[^>]*><a href="(/artikel/[^"]+)">([^<]+)</a>', front)
    url, title = link.group(1), link.group(2)
    article_id = re.match(r"/artikel/(\d+)-", url).group(1)
    assert other.request(url)[0] == 200  # now in the shared cache

    _, login = one.request("/admin/login/")
    status, _ = one.request(
        "/admin/login/",
        {"username": "chef", "password": "twee-servers-1", "next": "/admin/",
         "csrfmiddlewaretoken": one.csrf_token(login)},
    )  # fmt: skip
    assert status == 302
    _, listing = one.request("/admin/news/article/")
    token = one.csrf_token(listing)

    def act(action):
        status, _ = one.request(
            "/admin/news/article/",
            {"action": action, "_selected_action": [article_id], "index": "0",
             "csrfmiddlewaretoken": token},
        )  # fmt: skip
        assert status == 302

    act("unpublish")
    assert other.request(url)[0] == 404
    assert title not in other.request("/")[1]

    act("publish_now")
    status, page = other.request(url)
    assert status == 200 and title in page
