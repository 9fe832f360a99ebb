"""Revisions of articles: what is kept at every save, how two compare, how one comes back."""

import difflib

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Article, Country, PinnedArticle, Revision
from .text import date_line

FIELDS = [
    "title", "slug", "lead", "body", "byline", "source", "status", "published_at", "unpublish_at",
    "image", "image_alt", "image_caption", "image_credit",
]  # fmt: skip
IMAGE_FIELDS = ("image", "image_alt", "image_caption", "image_credit")
LABELS = {
    **{name: Article._meta.get_field(name).verbose_name for name in FIELDS},
    "country": "plaats (land)",
    "countries": "landen",
    "topics": "onderwerpen",
    "pins": "vaste 'Lees meer'-artikelen",
}


def snapshot(article):
    """Return everything an editor can change on `article`, as JSON-ready data."""
    data = {name: getattr(article, name) for name in FIELDS}
    # The stored file's name; restoring it makes the renditions again, or clears a lost file.
    data["image"] = article.image.name or ""
    for name in ("published_at", "unpublish_at"):
        data[name] = data[name].isoformat() if data[name] else None
    data["country"] = article.country.code if article.country_id else None
    data["countries"] = sorted(c.code for c in article.countries.all())
    data["topics"] = sorted(t.name for t in article.topics.all())
    data["pins"] = list(article.pins.values_list("pinned_id", flat=True))
    return data


def record(article, user=None, note=""):
    """Keep the current state of `article` as a new revision."""
    return Revision.objects.create(
        article_id=article.pk,
        title=article.title,
        user=user if user and user.is_authenticated else None,
        note=note,
        data=snapshot(article),
    )


@transaction.atomic
def restore(revision, user=None):
    """Bring the article back to `revision` (recreating it when deleted); return it."""
    data = revision.data
    article = Article.objects.filter(pk=revision.article_id).first() or Article(
        pk=revision.article_id
    )
    # Putting back no image, or one whose files went when it was replaced, would delete the
    # current image for good: keep it (the editor can still remove it with "Wissen").
    wanted, current = data.get("image") or "", article.image.name or ""
    article.image_kept = (
        bool(current) and wanted != current and not (wanted and default_storage.exists(wanted))
    )
    for name in FIELDS:
        value = data.get(name)
        if article.image_kept and name in IMAGE_FIELDS:
            continue
        if name in ("published_at", "unpublish_at"):
            value = parse_datetime(value) if value else None
        elif value is None:
            value = ""  # a field this revision predates: text fields are never NULL
        setattr(article, name, value)
    article.country = Country.objects.filter(code=data.get("country")).first()
    article.updated_by = user if user and user.is_authenticated else None
    article.save()
    article.countries.set(list(Country.objects.filter(code__in=data.get("countries", []))))
    article.topics.set(data.get("topics", []))
    article.pins.all().delete()
    existing = set(Article.objects.filter(pk__in=data.get("pins", [])).values_list("pk", flat=True))
    PinnedArticle.objects.bulk_create(
        PinnedArticle(article=article, pinned_id=pk, position=i)
        for i, pk in enumerate(p for p in data.get("pins", []) if p in existing and p != article.pk)
    )
    when = timezone.localtime(revision.created_at)
    record(article, user, note=f"Hersteld: revisie van {date_line(when)}")
    return article


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
    return str(value)


def changes(old, new):
    """Return [(label, html)] for the fields that differ from revision `old` to `new`."""
    result = []
    for name, label in LABELS.items():
        before, after = old.data.get(name), new.data.get(name)
        if before != after:
            result.append((label, word_diff(display(name, before), display(name, after))))
    return result


def word_diff(before, after):
    """Return HTML of `after` with removed words in <del> and added words in <ins>."""
    a, b = before.split(" "), after.split(" ")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", " ".join(a[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", " ".join(b[j1:j2])))
    return mark_safe(" ".join(parts))
