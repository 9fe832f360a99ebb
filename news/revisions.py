"""Revisions of articles: what each save keeps and how two compare (restoring: newsroom)."""

import difflib
import re

from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Article, Country, Image, Revision
from .text import date_line

FIELDS = [
    "title", "slug", "lead", "body", "byline", "source", "status", "published_at", "unpublish_at",
    "lead_image", "seo_title", "seo_description",
]  # fmt: skip
# A word (letters and digits of any script), one punctuation mark, or white space: a
# paragraph break or a comma is a change of its own, not part of the word beside it.
TOKEN = re.compile(r"\w+|[^\w\s]|\s+")
LABELS = {
    **{name: Article._meta.get_field(name).verbose_name for name in FIELDS},
    "country": Article._meta.get_field("country").verbose_name,
    "countries": "landen",
    "topics": "onderwerpen",
    "pins": "vaste 'Lees meer'-artikelen",
}


def snapshot(article):
    """Return everything an editor can change on `article`, as JSON-ready data."""
    data = {name: getattr(article, name) for name in FIELDS if name != "lead_image"}
    # The library image's id: restoring chooses it again, if it is still in the library.
    data["lead_image"] = article.lead_image_id
    for name in ("published_at", "unpublish_at"):
        data[name] = data[name].isoformat() if data[name] else None
    data["country"] = article.country.code if article.country_id else None
    data["countries"] = sorted(c.code for c in article.countries.all())
    data["topics"] = sorted(t.name for t in article.topics.all())
    # pins.all() rather than values_list: it uses what record_many prefetched.
    data["pins"] = [pin.pinned_id for pin in article.pins.all()]
    return data


# A revision's lead image that is no longer in the library.
GONE = object()


def lead_image_of(data):
    """Return the id of the library image revision `data` chose as lead image, None for
    none, or GONE when that image has been deleted since.

    Revisions from before the library name the stored file instead of an image.
    """
    if "lead_image" in data:
        pk = data["lead_image"]
        if pk is None:
            return None
        return pk if Image.objects.filter(pk=pk).exists() else GONE
    name = data.get("image") or ""
    if not name:
        return None
    found = Image.objects.filter(file=name).values_list("pk", flat=True).first()
    return GONE if found is None else found


def _revision(article, user, note):
    return Revision(
        article_id=article.pk,
        version=article.version,
        title=article.title,
        user=user if user and user.is_authenticated else None,
        note=note,
        data=snapshot(article),
    )


def record(article, user=None, note=""):
    """Keep the current state of `article` as a new revision."""
    revision = _revision(article, user, note)
    revision.save()
    return revision


def record_many(articles, user=None, note=""):
    """Keep the current state of each of `articles` (a queryset), in a few queries."""
    articles = articles.select_related("country").prefetch_related("countries", "topics", "pins")
    Revision.objects.bulk_create(_revision(article, user, note) for article in articles)


def opened_state(article_id, version):
    """Return the revision an editor opened at `version`, or None if there is none."""
    return Revision.objects.filter(article_id=article_id, version=version).first()


def display(name, value):
    """Return a revision value as an editor reads it."""
    if value in (None, "", []):
        return ""
    if name == "status":
        return Article.Status(value).label
    if name in ("published_at", "unpublish_at"):
        return date_line(parse_datetime(value))
    if name == "countries":
        names = dict(Country.objects.filter(code__in=value).values_list("code", "name"))
        return ", ".join(names.get(code, code) for code in value)
    if name == "country":
        return Country.objects.filter(code=value).values_list("name", flat=True).first() or value
    if name == "pins":
        titles = dict(Article.objects.filter(pk__in=value).values_list("pk", "title"))
        return "\n".join(titles.get(pk, f"(verwijderd artikel {pk})") for pk in value)
    if name == "topics":
        return ", ".join(value)
    if name == "lead_image":
        image = Image.objects.filter(pk=value).first()
        return f"{image} ({value})" if image else f"(verwijderde afbeelding {value})"
    return str(value)


def _comparable(name, value):
    # One moment written with two UTC offsets (as saved, as read back) is no change.
    if name in ("published_at", "unpublish_at") and value:
        return parse_datetime(value)
    return value


def changes(old, new):
    """Return [(label, html)] for the fields that differ from revision `old` to `new`."""
    result = []
    for name, label in LABELS.items():
        before, after = old.data.get(name), new.data.get(name)
        if _comparable(name, before) != _comparable(name, after):
            result.append((label, word_diff(display(name, before), display(name, after))))
    return result


def tokens(text):
    """Split text into words, single punctuation marks and runs of white space."""
    return TOKEN.findall(text)


def word_diff(before, after):
    """Return HTML of `after` with removed words in <del> and added words in <ins>."""
    a, b = tokens(before), tokens(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return mark_safe("".join(parts))
