import re
import unicodedata

from django.db import migrations, models


def name_key(name):
    return " ".join(name.split()).casefold()


def ascii_slug(text):
    from anyascii import anyascii

    text = unicodedata.normalize("NFKD", anyascii(text)).lower()
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text)).strip("-_")[:96]


def fill_keys(apps, schema_editor):
    """Key every topic; join topics that differ only in case; give non-ASCII slugs ASCII ones."""
    Topic = apps.get_model("news", "Topic")
    TopicTag = apps.get_model("news", "TopicTag")
    TopicAlias = apps.get_model("news", "TopicAlias")
    kept = {}
    for topic in Topic.objects.order_by("pk"):
        key = name_key(topic.name)
        survivor = kept.get(key)
        if survivor is None:
            kept[key] = topic
            topic.key = key
            if not topic.slug.isascii():
                slug = ascii_slug(topic.name) or "onderwerp"
                taken = set(Topic.objects.values_list("slug", flat=True))
                candidate, i = slug, 1
                while candidate in taken:
                    candidate, i = f"{slug}-{i}", i + 1
                topic.slug = candidate
            topic.save()
            continue
        # "Économie" beside "économie" (SQLite's LOWER() let both in): one topic.
        TopicTag.objects.filter(
            tag=topic,
            content_object__in=TopicTag.objects.filter(tag=survivor).values("content_object"),
        ).delete()
        TopicTag.objects.filter(tag=topic).update(tag=survivor)
        if topic.slug.isascii():
            TopicAlias.objects.update_or_create(slug=topic.slug, defaults={"topic": survivor})
        topic.delete()
    for alias in TopicAlias.objects.all():
        alias.key = name_key(alias.name)
        alias.save()


class Migration(migrations.Migration):
    dependencies = [("news", "0008_revision_version")]

    operations = [
        migrations.RemoveConstraint(model_name="topic", name="news_topic_name_ci_unique"),
        migrations.AddField(
            model_name="topic",
            name="key",
            field=models.CharField(default="", editable=False, max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="topicalias",
            name="name",
            field=models.CharField(blank=True, max_length=100, verbose_name="oude naam"),
        ),
        migrations.AddField(
            model_name="topicalias",
            name="key",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=100),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="topic",
            name="key",
            field=models.CharField(editable=False, max_length=100, unique=True),
        ),
        migrations.AlterField(
            model_name="topic",
            name="slug",
            field=models.SlugField(
                help_text="Het webadres: /onderwerp/<slug>/. Alleen letters a-z, cijfers en "
                "streepjes; leeg laten om het uit de naam te maken.",
                blank=True,
                max_length=100,
                unique=True,
                verbose_name="slug",
            ),
        ),
    ]
