import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0013_autosave"),
    ]

    operations = [
        migrations.CreateModel(
            name="Review",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="review",
                        serialize=False,
                        to="news.article",
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("submitted", "Klaar voor eindredactie"),
                            ("returned", "Teruggestuurd"),
                        ],
                        max_length=10,
                        verbose_name="eindredactie",
                    ),
                ),
                (
                    "note",
                    models.TextField(blank=True, max_length=2000, verbose_name="toelichting"),
                ),
                ("at", models.DateTimeField(verbose_name="tijdstip")),
                (
                    "by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="door",
                    ),
                ),
            ],
            options={
                "verbose_name": "eindredactie",
                "verbose_name_plural": "eindredactie",
                "indexes": [models.Index(fields=["state"], name="news_review_state_idx")],
            },
        ),
        migrations.CreateModel(
            name="Presence",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("tab", models.CharField(max_length=40, verbose_name="tabblad")),
                ("opened_at", models.DateTimeField(verbose_name="geopend")),
                ("seen_at", models.DateTimeField(db_index=True, verbose_name="laatst gezien")),
                (
                    "article",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="news.article",
                        verbose_name="artikel",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="wie",
                    ),
                ),
            ],
            options={
                "verbose_name": "aanwezigheid",
                "verbose_name_plural": "aanwezigheid",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "user", "tab"), name="news_presence_tab"
                    )
                ],
            },
        ),
    ]
