"""The two tag vocabularies: countries (closed, ISO 3166) and topics (open)."""

from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from taggit.managers import _TaggableManager
from taggit.models import ItemBase, TagBase

from ..text import single_line
from ..urlcache import reverse


class Country(TagBase):
    code = models.CharField("ISO-code", max_length=2, unique=True)

    class Meta:
        verbose_name = "land"
        verbose_name_plural = "landen"
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("news:country", kwargs={"slug": self.slug})


NAME_LENGTH = 100  # TagBase's name and slug columns


def name_key(name):
    """Return the form of a topic name that tells two names apart: any case, any script."""
    return single_line(name).casefold()


def ascii_slug(text):
    """Return an ASCII slug for text in any script ("ملف" gives "mlf"), or ""."""
    return slugify(anyascii(text))[:NAME_LENGTH].strip("-")


class TopicManager(_TaggableManager):
    """Article.topics: a typed name reaches the topic that has it, or had it before a merge."""

    # taggit's hook that turns names into tags; taggit is pinned in requirements.txt.
    def _to_tag_model_instances(self, tags, tag_kwargs):
        typed = [tag for tag in tags if isinstance(tag, str)]
        canonical = Topic.objects.canonical_names(typed) if typed else {}
        tags = [canonical.get(tag, tag) if isinstance(tag, str) else tag for tag in tags]
        return super()._to_tag_model_instances(tags, tag_kwargs)


class TopicQuerySet(models.QuerySet):
    def canonical_names(self, names):
        """Return {typed name: stored name} for the typed names that a topic or a merged
        topic's old name already has, in any case (SQLite's LOWER() is ASCII only)."""
        keys = {name_key(name): name for name in names}
        found = dict(self.filter(key__in=keys).values_list("key", "name"))
        missing = [key for key in keys if key not in found]
        if missing:
            aliases = TopicAlias.objects.filter(key__in=missing).values_list("key", "topic__name")
            found.update(aliases)
        return {keys[key]: name for key, name in found.items()}


class Topic(TagBase):
    slug = models.SlugField(
        "slug",
        unique=True,
        blank=True,
        max_length=NAME_LENGTH,
        help_text="Het webadres: /onderwerp/<slug>/. Alleen letters a-z, cijfers en streepjes; "
        "leeg laten om het uit de naam te maken.",
    )
    # name_key(name), unique: "Économie" and "économie" are one topic on every database.
    key = models.CharField(max_length=NAME_LENGTH, unique=True, editable=False)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = "onderwerp"
        verbose_name_plural = "onderwerpen"
        ordering = ["name"]

    def clean(self):
        super().clean()
        key = name_key(self.name)
        if Topic.objects.filter(key=key).exclude(pk=self.pk).exists():
            raise ValidationError({"name": "Er bestaat al een onderwerp met deze naam."})
        alias = TopicAlias.objects.filter(key=key).select_related("topic").first()
        if alias and alias.topic_id != self.pk:
            raise ValidationError(
                {"name": f"Dit onderwerp is samengevoegd met “{alias.topic.name}”: kies die."}
            )
        if not self.slug:
            self.slug = self.slugify(self.name)

    def save(self, *args, **kwargs):
        self.name = single_line(self.name)
        self.key = name_key(self.name)
        if not self.slug and not self._state.adding:  # a new one: TagBase finds a free slug
            self.slug = self.slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:topic", kwargs={"slug": self.slug})

    def slugify(self, tag, i=None):
        # ASCII slugs from any script: URLs take [-a-zA-Z0-9_] only.
        slug = ascii_slug(tag)[: NAME_LENGTH - 4] or "onderwerp"
        return slug if i is None else f"{slug}-{i}"


class CountryTag(ItemBase):
    tag = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="tagged_items")
    content_object = models.ForeignKey(
        "news.Article", on_delete=models.CASCADE, related_name="country_tags"
    )

    class Meta:
        verbose_name = "land van artikel"
        verbose_name_plural = "landen van artikelen"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="news_countrytag_unique")
        ]
        # A country's or topic's articles, found from the tag side.
        indexes = [models.Index(fields=["tag", "content_object"], name="news_countrytag_by_tag")]


class TopicTag(ItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_items")
    content_object = models.ForeignKey(
        "news.Article", on_delete=models.CASCADE, related_name="topic_tags"
    )

    class Meta:
        verbose_name = "onderwerp van artikel"
        verbose_name_plural = "onderwerpen van artikelen"
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="news_topictag_unique")
        ]
        # A country's or topic's articles, found from the tag side.
        indexes = [models.Index(fields=["tag", "content_object"], name="news_topictag_by_tag")]


class TopicAlias(models.Model):
    """The name and slug of a topic merged into another, so that old links and feeds keep
    working and typing the old name tags the article with the surviving topic."""

    slug = models.SlugField("oude slug", max_length=100, unique=True)
    name = models.CharField("oude naam", max_length=NAME_LENGTH, blank=True)
    key = models.CharField(max_length=NAME_LENGTH, blank=True, db_index=True, editable=False)
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="aliases", verbose_name="onderwerp"
    )

    class Meta:
        verbose_name = "oude naam van een onderwerp"
        verbose_name_plural = "oude namen van onderwerpen"

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    def __str__(self):
        return f"{self.slug} → {self.topic.slug}"
