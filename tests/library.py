"""Library images for tests: uploaded as an editor does, renditions made as the worker does."""

from news.models import Image
from news.tasks import make_renditions_now

from .conftest import make_article
from .imagefiles import image_file, upload

ALT = "Rood en blauw, naast elkaar."


def library_image(content=None, name="foto.jpg", *, ready=True, **kw):
    """Return a saved library Image of `content`; with its renditions unless not `ready`."""
    kw.setdefault("alt", ALT)
    image = Image(file=upload(content or image_file(size=(1600, 1000)), name), **kw)
    image.save()
    if ready:
        make_renditions_now(image)
    return image


def with_image(content=None, article=None, name="foto.jpg", *, ready=True, image_kw=None, **kw):
    """Return `article` (else a new one made with `kw`) with a new library lead image."""
    article = article or make_article(**kw)
    article.lead_image = library_image(content, name, ready=ready, **(image_kw or {}))
    article.save()
    return article


def stored(image):
    """Return the names of the files of `image`: its original and renditions."""
    return {image.file.name, *(r["name"] for r in image.renditions)}
