# The image library (issue 15): lead images become Image rows, usable in any article.

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

WRITER = "Redacteur"
FINAL_EDITOR = "Eindredacteur"
WRITER_PERMISSIONS = ["add_image", "change_image", "view_image"]
FINAL_EDITOR_PERMISSIONS = [*WRITER_PERMISSIONS, "delete_image"]
OLD_FIELDS = (
    "image", "image_alt", "image_caption", "image_credit",
    "image_width", "image_height", "image_renditions",
)  # fmt: skip


def images_into_library(apps, schema_editor):
    """Give each article's lead image its own Image row: the same stored files and names.

    Two articles naming the same file share one Image, so deleting one never removes the
    other's files. The renditions stay as they are: no URL a reader has seen changes.
    """
    Article = apps.get_model("news", "Article")
    Image = apps.get_model("news", "Image")
    by_name = {}
    articles = Article.objects.exclude(image="").exclude(image__isnull=True).order_by("-pk")
    for article in articles.iterator():
        name = article.image.name
        image = by_name.get(name)
        if image is None:
            image = by_name[name] = Image.objects.create(
                file=name,
                alt=article.image_alt,
                caption=article.image_caption,
                credit=article.image_credit,
                width=article.image_width,
                height=article.image_height,
                renditions=article.image_renditions or [],
                renditions_status="ready",
                focal_x=0.5,
                focal_y=0.5,
                uploaded_by=None,
            )
        # update(): neither updated_at nor version moves; the page is the same page.
        Article.objects.filter(pk=article.pk).update(lead_image=image)


def images_back_onto_articles(apps, schema_editor):
    """Put each article's lead image back into its own fields (images in no article are left)."""
    Article = apps.get_model("news", "Article")
    for article in Article.objects.exclude(lead_image=None).select_related("lead_image"):
        image = article.lead_image
        Article.objects.filter(pk=article.pk).update(
            image=image.file.name,
            image_alt=image.alt,
            image_caption=image.caption,
            image_credit=image.credit,
            image_width=image.width,
            image_height=image.height,
            image_renditions=image.renditions,
        )


def give_roles_images(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    app_config = apps.get_app_config("news")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((WRITER, WRITER_PERMISSIONS), (FINAL_EDITOR, FINAL_EDITOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
        )


def take_images_from_roles(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=[WRITER, FINAL_EDITOR]):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="news", codename__in=FINAL_EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0015_seo"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Image",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.ImageField(
                        help_text="JPEG, PNG, WebP of GIF; hoogstens 20 MB en 50 megapixel. "
                        "Lezers krijgen kleinere versies; de plaats- en cameragegevens in het "
                        "bestand worden verwijderd.",
                        max_length=255,
                        upload_to="afbeeldingen/%Y/%m/",
                        verbose_name="bestand",
                    ),
                ),
                (
                    "alt",
                    models.CharField(
                        help_text="Wat is erop te zien? Voor wie de afbeelding niet kan zien, "
                        "bijvoorbeeld: 'Twee generaals geven elkaar een hand op een vliegveld.'",
                        max_length=250,
                        verbose_name="alt-tekst",
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        blank=True,
                        help_text="Optioneel. Staat onder de afbeelding bij het artikel.",
                        max_length=300,
                        verbose_name="bijschrift",
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        blank=True,
                        help_text="Optioneel. Zoals het onder de afbeelding staat, "
                        "bijvoorbeeld: 'Foto: ANP'.",
                        max_length=200,
                        verbose_name="maker",
                    ),
                ),
                (
                    "width",
                    models.PositiveIntegerField(editable=False, null=True, verbose_name="breedte"),
                ),
                (
                    "height",
                    models.PositiveIntegerField(editable=False, null=True, verbose_name="hoogte"),
                ),
                (
                    "focal_x",
                    models.FloatField(
                        default=0.5,
                        help_text="0 is de linkerrand, 1 de rechterrand.",
                        verbose_name="brandpunt (horizontaal)",
                    ),
                ),
                (
                    "focal_y",
                    models.FloatField(
                        default=0.5,
                        help_text="0 is de bovenrand, 1 de onderrand.",
                        verbose_name="brandpunt (verticaal)",
                    ),
                ),
                (
                    "renditions",
                    models.JSONField(
                        blank=True, default=list, editable=False, verbose_name="versies"
                    ),
                ),
                (
                    "renditions_status",
                    models.CharField(
                        choices=[
                            ("pending", "Wordt verwerkt"),
                            ("ready", "Klaar"),
                            ("failed", "Mislukt"),
                        ],
                        default="pending",
                        editable=False,
                        max_length=10,
                        verbose_name="verwerking",
                    ),
                ),
                (
                    "renditions_error",
                    models.TextField(blank=True, editable=False, verbose_name="foutmelding"),
                ),
                (
                    "renditions_attempts",
                    models.PositiveSmallIntegerField(
                        default=0, editable=False, verbose_name="pogingen"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="geüpload")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="bijgewerkt")),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="geüpload door",
                    ),
                ),
            ],
            options={
                "verbose_name": "afbeelding",
                "verbose_name_plural": "afbeeldingen",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["-created_at"], name="news_image_created_idx")],
            },
        ),
        migrations.AddField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text="Kies een afbeelding uit de mediabibliotheek, of upload hieronder een "
                "nieuwe.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_of",
                to="news.image",
                verbose_name="hoofdafbeelding",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="body_images",
            field=models.ManyToManyField(
                blank=True,
                editable=False,
                related_name="in_body_of",
                to="news.image",
                verbose_name="afbeeldingen in de tekst",
            ),
        ),
        migrations.RunPython(images_into_library, images_back_onto_articles),
        *(migrations.RemoveField(model_name="article", name=name) for name in OLD_FIELDS),
        migrations.RunPython(give_roles_images, take_images_from_roles),
    ]
