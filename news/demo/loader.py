"""Put the demo articles in the database; running it again changes nothing."""

from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files import File
from django.db import transaction
from django.utils.text import slugify

from .. import newsroom
from ..models import Article, Country, Image, PinnedArticle
from ..models.vocabulary import name_key
from .data import ARTICLES

LOCAL = ZoneInfo("Europe/Amsterdam")
IMAGES = Path(__file__).resolve().parent / "images"


@transaction.atomic
def load_demo():
    """Create or update the demo articles; return how many were created."""
    countries = {c.code: c for c in Country.objects.all()}
    seed, *others = ARTICLES
    created = 0
    loaded = []
    # The others first: the seed pins them, in the seed's order.
    for item in [*others, seed]:
        pins = loaded if item is seed else []
        created += _load(item, countries, pins)
        loaded.append(Article.objects.get(slug=slugify(item["title"])))
    return created


def _load(item, countries, pins):
    """Save one demo article through the newsroom, unless it is as the demo has it already."""
    article = Article.objects.filter(slug=slugify(item["title"])).first()
    is_new = article is None
    article = article or Article(slug=slugify(item["title"]))
    image = item.get("image", {})
    fields = {
        "title": item["title"],
        "lead": item["lead"],
        "body": item["body"],
        "country": countries[item["country"]],
        "byline": item["byline"],
        "source": item["source"],
        "status": Article.Status.PUBLISHED,
        "published_at": datetime.strptime(item["published_at"], "%Y-%m-%d %H:%M").replace(
            tzinfo=LOCAL
        ),
    }
    wanted_countries = sorted(item["countries"])
    current = article.lead_image if article.lead_image_id else None
    needs_image = bool(image) and not (current and current.file.storage.exists(current.file.name))
    image_texts = {
        "alt": image.get("alt", ""),
        "caption": image.get("caption", ""),
        "credit": image.get("credit", ""),
    }
    texts_changed = bool(current) and any(
        getattr(current, name) != value for name, value in image_texts.items()
    )
    unchanged = not is_new and (
        not needs_image
        and not texts_changed
        and all(getattr(article, name) == value for name, value in fields.items())
        and sorted(c.code for c in article.countries.all()) == wanted_countries
        # Any case: a topic typed before keeps the name it has (TopicManager).
        and sorted(name_key(t.name) for t in article.topics.all())
        == sorted(name_key(name) for name in item["topics"])
        and [p.pinned_id for p in article.pins.all()] == [p.pk for p in pins]
    )
    if unchanged:
        return 0
    for name, value in fields.items():
        setattr(article, name, value)

    def relations(article):
        article.countries.set([countries[code] for code in wanted_countries])
        article.topics.set(item["topics"])
        article.pins.all().delete()
        PinnedArticle.objects.bulk_create(
            PinnedArticle(article=article, pinned=other, position=i) for i, other in enumerate(pins)
        )

    with ExitStack() as files:
        if needs_image:
            # Into the library as an editor's upload goes: checked, cleaned, renditions queued.
            path = IMAGES / image["file"]
            upload = File(files.enter_context(path.open("rb")), name=path.name)
            article.lead_image = Image.objects.create(file=upload, **image_texts)
        elif texts_changed:
            for name, value in image_texts.items():
                setattr(current, name, value)
            current.save()
        newsroom.save(article, None, relations=relations, note="Demo-inhoud geladen")
    return int(is_new)
