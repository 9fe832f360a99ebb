"""Put the demo articles in the database; running it again changes nothing."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files import File
from django.db import transaction
from django.utils.text import slugify

from .. import revisions
from ..models import Article, Country, PinnedArticle, Revision
from .data import ARTICLES

LOCAL = ZoneInfo("Europe/Amsterdam")
IMAGES = Path(__file__).resolve().parent / "images"


@transaction.atomic
def load_demo():
    """Create or update the demo articles; return how many were created."""
    countries = {c.code: c for c in Country.objects.all()}
    created = 0
    articles = []
    for item in ARTICLES:
        article, was_created = Article.objects.update_or_create(
            slug=slugify(item["title"]),
            defaults={
                "title": item["title"],
                "lead": item["lead"],
                "body": item["body"],
                "country": countries[item["country"]],
                "byline": item["byline"],
                "source": item["source"],
                "image_alt": item.get("image", {}).get("alt", ""),
                "image_caption": item.get("image", {}).get("caption", ""),
                "image_credit": item.get("image", {}).get("credit", ""),
                "status": Article.Status.PUBLISHED,
                "published_at": datetime.strptime(item["published_at"], "%Y-%m-%d %H:%M").replace(
                    tzinfo=LOCAL
                ),
            },
        )
        if "image" in item:
            attach_image(article, item["image"])
        article.countries.set([countries[code] for code in item["countries"]])
        article.topics.set(item["topics"])
        created += was_created
        articles.append(article)

    # The seed article pins the ten others, in the seed's order.
    seed, others = articles[0], articles[1:]
    PinnedArticle.objects.filter(article=seed).delete()
    PinnedArticle.objects.bulk_create(
        PinnedArticle(article=seed, pinned=other, position=i) for i, other in enumerate(others)
    )
    # A first revision, so that the history shows what the demo looked like.
    recorded = set(
        Revision.objects.filter(article_id__in=[a.pk for a in articles]).values_list(
            "article_id", flat=True
        )
    )
    for article in articles:
        if article.pk not in recorded:
            revisions.record(article, note="Demo-inhoud geladen")
    return created


def attach_image(article, image):
    """Give `article` the shipped image, unless it has it already (and its file exists)."""
    if article.image and article.image.storage.exists(article.image.name):
        return
    path = IMAGES / image["file"]
    with path.open("rb") as file:
        # Saved as an editor's upload is: checked, cleaned, renditions made.
        article.image = File(file, name=path.name)
        article.save()
