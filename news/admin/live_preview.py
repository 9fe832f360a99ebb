"""The article form's previews: the unsaved form as the article page (Live voorbeeld), and
the article as a search result and as a shared link (Zoekmachines en delen).

The live preview posts the whole form, as it stands, to a staff-only endpoint; the page
comes back as HTML that the form shows in a sandboxed iframe (static/admin/live-preview.js).
"""

from copy import copy

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import markup, seo
from ..body import expand
from ..models import Article, Topic
from ..models.article import SEO_DESCRIPTION_LENGTH, SEO_TITLE_LENGTH, SINGLE_LINE_FIELDS
from ..preview import preview_response
from ..related import lees_meer
from ..text import ELLIPSIS, TEASER_LENGTH, single_line, teaser

SEO_FIELDSET = "Zoekmachines en delen"
RECOMMENDED = {"seo_title": SEO_TITLE_LENGTH, "seo_description": SEO_DESCRIPTION_LENGTH}
# Shown as typed even when too long to save: the editor sees what she wrote.
TEXT_FIELDS = {*SINGLE_LINE_FIELDS, "body", "slug"}
# A new upload is not sent with every preview: the chosen (or saved) library image is shown.
NOT_PREVIEWED = {"image", "image_alt", "image_caption", "image_credit"}
NOT_PREVIEWED |= {"opened_version", "conflict_base"}
# What a bad posted value can raise while a field cleans it (OverflowError: SQLite and a
# number too large for a key).
BAD_VALUE = (ValidationError, ValueError, TypeError, OverflowError)
MISSING = object()
# Where Google cuts a result's title and description, roughly (it measures in pixels).
SEARCH_TITLE_CUT, SEARCH_DESCRIPTION_CUT = 60, 160


class LivePreviewMixin:
    """ArticleAdmin's previews: the endpoint, the SEO fieldset and the scripts."""

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/live-preview.js", "admin/seo-preview.js"])

    def get_urls(self):
        view = self.admin_site.admin_view(self.live_preview_view)
        return [
            path("voorbeeld/", view, name="news_article_live_preview"),
            path("<int:article_id>/voorbeeld/", view, name="news_article_live_preview"),
            *super().get_urls(),
        ]

    def live_preview_view(self, request, article_id=None):
        """Render the posted form as the article page; only for who may save that form."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        stored = None
        if article_id is None:
            allowed = self.has_add_permission(request)
        else:
            stored = get_object_or_404(Article.objects.for_listing(), pk=article_id)
            allowed = self.has_change_permission(request, stored)
        if not allowed:
            raise PermissionDenied
        form_class = self.get_form(request, stored, change=stored is not None)
        form = form_class(request.POST, instance=copy(stored) if stored else None)
        article = unsaved_article(form, stored)
        return preview_response(request, article, related(article))

    # --- Zoekmachines en delen -------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        # The previews need the request (the host, the share image): added per request.
        return [
            (name, {**options, "description": seo_previews(request, obj)})
            if name == SEO_FIELDSET
            else (name, options)
            for name, options in super().get_fieldsets(request, obj)
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "seo_description":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "class": "vLargeTextField"})
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in RECOMMENDED and field is not None:
            # static/admin/seo-preview.js counts against this, and fills in the default.
            field.widget.attrs["data-recommended"] = RECOMMENDED[db_field.name]
        return field


def seo_previews(request, article):
    """Return the search result and the shared link of `article` (None: a new one) as HTML,
    as saved; static/admin/seo-preview.js follows the form as the editor types."""
    article = article or Article()
    share = seo.share_image(request, article if article.pk else None)
    title, description = seo.title(article), seo.description(article)
    context = {
        "title": title,
        "description": description,
        "search_title": teaser(f"{title} - {settings.SITE_NAME}", SEARCH_TITLE_CUT),
        "search_description": teaser(description, SEARCH_DESCRIPTION_CUT),
        "search_title_cut": SEARCH_TITLE_CUT,
        "search_description_cut": SEARCH_DESCRIPTION_CUT,
        "host": request.get_host(),
        "path_prefix": f"/artikel/{article.pk or '…'}-",
        "slug": article.slug,
        "image": share,
        "teaser_length": TEASER_LENGTH,
        "ellipsis": ELLIPSIS,
    }
    return render_to_string("admin/news/article/seo_previews.html", context, request=request)


# --- The unsaved article ---------------------------------------------------------------


def unsaved_article(form, stored):
    """Return an unsaved Article holding what the bound `form` holds, over `stored` (None
    for a new article). What does not validate keeps the stored value: the preview shows
    what can be shown, and never fails on what the editor is still typing."""
    article = copy(stored) if stored else Article()
    values = {name: posted(form, name) for name in form.fields if name not in NOT_PREVIEWED}
    values = {name: value for name, value in values.items() if value is not MISSING}
    model_fields = {f.name for f in Article._meta.concrete_fields}
    for name, value in values.items():
        if name in model_fields and name != "country":
            if name in SINGLE_LINE_FIELDS:
                value = single_line(value)
            setattr(article, name, value)
    if stored is None or "countries" in values or "country" in values:
        place = {
            "country": values.get("country", article.country if article.country_id else None),
            "countries": values.get("countries", list(article.country_list) if stored else []),
        }
        if hasattr(form, "_one_place"):
            form._one_place(place)  # the form's rule: the place is one of the countries
        article.country = place["country"]
        article.prefetched_countries = list(place["countries"])
    if "topics" in values:
        article.prefetched_topics = topics(values["topics"])
    elif stored is None:
        article.prefetched_topics = []
    if article.published_at is None:
        article.published_at = timezone.now()  # what publishing would set
    article.body_html = body_html(article.body)
    return article


def posted(form, name):
    """Return the cleaned posted value of field `name`; for a text that does not validate
    (too long), the text itself; else MISSING."""
    field, raw = form.fields[name], None
    if field.disabled:
        return MISSING
    try:
        raw = form[name].data
        return field.clean(raw)
    except BAD_VALUE:
        if name in TEXT_FIELDS and isinstance(raw, str):
            return raw.strip()
        return MISSING


def topics(names):
    """Return Topic objects for typed names: the stored topic where there is one (also
    under a merged topic's old name), else an unsaved one."""
    canonical = Topic.objects.canonical_names(names)
    stored = {t.name: t for t in Topic.objects.filter(name__in=set(canonical.values()))}
    result = {}
    for name in names:
        topic = stored.get(canonical.get(name))
        if topic is None:
            topic = Topic(name=name)
            topic.slug = topic.slugify(name)  # as saving would make it
        result.setdefault(topic.name, topic)
    return list(result.values())


def body_html(body):
    """Return the body as the site's safe renderer makes it, or a note why it cannot."""
    if len(body) > markup.MAX_LENGTH:
        return format_html(
            "<p><strong>Voorbeeld: de tekst is te lang ({} tekens, hoogstens {}).</strong></p>",
            len(body),
            markup.MAX_LENGTH,
        )
    try:
        return expand(markup.render_within(body))  # library images and embeds too
    except markup.TooSlow:
        return mark_safe(
            "<p><strong>Voorbeeld: de opmaak van deze tekst is te ingewikkeld.</strong></p>"
        )


def related(article):
    """Return "Lees meer" for the unsaved article, from its stored topics and countries."""
    stand_in = copy(article)
    stand_in.prefetched_topics = [t for t in article.topic_list if t.pk]
    if stand_in.pk is None:
        # A new article comes after every stored one: its neighbours are the latest ones.
        stand_in.pk = (Article.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    return lees_meer(stand_in)
