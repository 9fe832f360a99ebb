"""Pages the editors keep up in the admin: Over ons, Colofon, Contact, Privacy.

Django's flatpages would do, but it needs django.contrib.sites, whose domain would then
decide the sitemap's URLs.
"""

from html import unescape

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import Resolver404, resolve, reverse
from django.utils.html import strip_tags

from ..markup import render_markdown
from ..text import teaser

DESCRIPTION_LENGTH = 160

# Served by the web server or the CDN in production, not by a URL pattern.
RESERVED_SLUGS = {"static", "media"}


def is_taken(slug):
    """Return whether /<slug>/ is a path the site itself answers (not an editors' page)."""
    if slug in RESERVED_SLUGS:
        return True
    try:
        return resolve(f"/{slug}/").view_name != "news:page"
    except Resolver404:
        return False


class Page(models.Model):
    title = models.CharField("titel", max_length=200)
    slug = models.SlugField(
        "slug",
        max_length=100,
        unique=True,
        help_text="Het webadres: /<slug>/, bijvoorbeeld 'colofon' voor /colofon/. "
        "Wordt ingevuld op basis van de titel.",
    )
    body = models.TextField(
        "tekst",
        help_text="Markdown: een lege regel begint een nieuwe alinea; ## Kopje, **vet**, "
        "*cursief*, [link](https://...), - opsomming.",
    )
    body_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField("bijgewerkt", auto_now=True)

    class Meta:
        verbose_name = "pagina"
        verbose_name_plural = "pagina's"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.slug and is_taken(self.slug):
            raise ValidationError(
                {"slug": "Dit webadres gebruikt de site zelf al: kies een ander."}
            )

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:page", kwargs={"slug": self.slug})

    @property
    def description(self):
        """Return the page's first words as plain text, for search engines and shared links."""
        # Unescaped here: the template escapes it, once.
        return teaser(unescape(strip_tags(self.body_html)), DESCRIPTION_LENGTH)
