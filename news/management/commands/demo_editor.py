import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.urls import reverse

USERNAME = "redactie"


class Command(BaseCommand):
    help = "Create the local demo editor once, with a generated password; show how to log in."

    def handle(self, *args, **options):
        User = get_user_model()
        login_file = settings.VAR_DIR / "demo-editor.txt"
        if not User.objects.filter(username=USERNAME).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(USERNAME, "redactie@example.org", password)
            login_file.parent.mkdir(parents=True, exist_ok=True)
            login_file.write_text(password + "\n", encoding="utf-8")
            login_file.chmod(0o600)
        if login_file.exists():
            password = login_file.read_text(encoding="utf-8").strip()
        else:
            password = f"(unknown: set one with `python manage.py changepassword {USERNAME}`)"
        self.stdout.write(
            "\nEditors log in at http://127.0.0.1:{port}{path}\n"
            f"  username: {USERNAME}\n  password: {password}\n".format(
                port=options.get("port") or "PORT", path=reverse("admin:index")
            )
        )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")
