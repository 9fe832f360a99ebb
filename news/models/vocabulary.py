"""The two tag vocabularies: countries (closed, ISO 3166) and topics (open)."""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.text import slugify
from taggit.models import ItemBase, TagBase


class Country(TagBase):
    code = models.CharField("ISO-code", max_length=2, unique=True)

    class Meta:
        verbose_name = "land"
        verbose_name_plural = "landen"
        ordering = ["name"]

    def get_absolute_url(self):
        return reverse("news:country", kwargs={"slug": self.slug})


class Topic(TagBase):
    class Meta:
        verbose_name = "onderwerp"
        verbose_name_plural = "onderwerpen"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="news_topic_name_ci_unique",
                violation_error_message="Er bestaat al een onderwerp met deze naam.",
            ),
        ]

    def get_absolute_url(self):
        return reverse("news:topic", kwargs={"slug": self.slug})

    def slugify(self, tag, i=None):
        # ASCII slugs, so "économie" lives at /onderwerp/economie/.
        slug = slugify(tag) or "onderwerp"
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
    """The slug of a topic merged into another, so old links and feeds keep working."""

    slug = models.SlugField("oude slug", max_length=100, unique=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, related_name="aliases", verbose_name="onderwerp"
    )

    class Meta:
        verbose_name = "oude naam van een onderwerp"
        verbose_name_plural = "oude namen van onderwerpen"

    def __str__(self):
        return f"{self.slug} → {self.topic.slug}"
