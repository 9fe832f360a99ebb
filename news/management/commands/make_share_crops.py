import logging

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from news import images
from news.caching import bump_content_version
from news.models import Article

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Make the 4:3 and 1:1 share crops of lead images stored before they existed. "
        "Safe to run again: images that have them are left alone."
    )

    def handle(self, *args, **options):
        made = 0
        with_image = Article.objects.exclude(image="").only("pk", "image", "image_renditions")
        for article in with_image.iterator():
            if not images.missing_share_crops(article.image_renditions):
                continue
            try:
                renditions = images.add_missing_share_crops(
                    article.image_renditions, article.image.name, storage=article.image.storage
                )
            except (OSError, ValidationError) as error:
                logger.warning("No share crops for %s: %s", article.image.name, error)
                continue
            # Derived files, not an editor's change: no new version, revision or updated_at.
            Article.objects.filter(pk=article.pk).update(image_renditions=renditions)
            made += 1
        if made:
            bump_content_version()  # the pages' JSON-LD names the new files
        self.stdout.write(f"Share crops made for {made} image(s).")
