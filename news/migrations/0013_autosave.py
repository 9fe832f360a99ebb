import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0012_search"),
    ]

    operations = [
        migrations.CreateModel(
            name="AutosavedDraft",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("data", models.JSONField(verbose_name="inhoud")),
                ("saved_at", models.DateTimeField(verbose_name="bewaard op")),
                (
                    "article",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="news.article",
                        verbose_name="artikel",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="door",
                    ),
                ),
            ],
            options={
                "verbose_name": "automatisch bewaarde tekst",
                "verbose_name_plural": "automatisch bewaarde teksten",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "article"), name="autosave_one_per_article"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("article__isnull", True)),
                        fields=("user",),
                        name="autosave_one_new_article",
                    ),
                ],
            },
        ),
    ]
