import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

ROOT = Path(__file__).resolve().parent.parent


def login_request():
    # Login throttling (django-axes) needs the request a login arrives with.
    return RequestFactory().post("/")


@pytest.mark.django_db
def test_demo_editor_gets_a_generated_password_once(settings, tmp_path, capsys):
    settings.VAR_DIR = tmp_path
    call_command("demo_editor", "--port", "8123")
    out = capsys.readouterr().out
    password = (tmp_path / "demo-editor.txt").read_text().strip()
    assert len(password) >= 12
    assert "http://127.0.0.1:8123/admin/" in out
    assert f"password: {password}" in out
    assert authenticate(login_request(), username="redactie", password=password) is not None

    call_command("demo_editor")
    assert f"password: {password}" in capsys.readouterr().out
    assert authenticate(login_request(), username="redactie", password=password) is not None


@pytest.mark.django_db
def test_demo_editor_password_is_not_fixed(settings, tmp_path, django_user_model):
    settings.VAR_DIR = tmp_path
    call_command("demo_editor")
    first = (tmp_path / "demo-editor.txt").read_text()
    django_user_model.objects.all().delete()
    call_command("demo_editor")
    assert (tmp_path / "demo-editor.txt").read_text() != first


def test_without_debug_the_site_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_VAR_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
