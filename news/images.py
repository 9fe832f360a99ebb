"""Lead images: what an upload must be, how it is cleaned, and the renditions readers get.

Pillow touches an editor's file here only, once, when the article is saved. Reader pages,
feeds and the admin read the list of renditions stored with the article and open no file.
All files go through the "default" entry of Django's STORAGES.
"""

import hashlib
import io
import logging
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

# Pillow identifies these formats only: any other file, whatever its name, is refused.
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
# Nothing in this process decodes more: Pillow warns above this and refuses twice as much.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

WIDTHS = (320, 640, 960, 1280, 1920)
FULL, CROP = "full", "crop"
# The front page's lead story and teasers: 16:9, centred across, a little above the middle
# (where faces and horizons tend to be).
CROP_RATIO = 16 / 9
CROP_CENTRE = (0.5, 0.4)
# Link previews and search results also ask for 4:3 and 1:1 (Google's article images:
# 16:9, 4:3 and 1:1). One JPEG each, SHARE_WIDTH wide where the original allows it.
SHARE_CROPS = {"share-4x3": 4 / 3, "share-1x1": 1.0}
# What readers' browsers get, and how; the `src` of an <img> for browsers without srcset.
ENCODINGS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg"}
FALLBACK_WIDTH = 960
# Open Graph asks for 1200 px wide; feeds get the same size.
SHARE_WIDTH = 1200
THUMBNAIL_WIDTH = 320
# The cleaned original, in its own format: a GIF becomes a lossless PNG of its first frame.
ORIGINALS = {
    "JPEG": ("jpg", "JPEG", {"quality": 90}),
    "PNG": ("png", "PNG", {"optimize": True}),
    "WEBP": ("webp", "WEBP", {"quality": 90}),
    "GIF": ("png", "PNG", {"optimize": True}),
}

NOT_AN_IMAGE = (
    "Dit bestand is geen JPEG-, PNG-, WebP- of GIF-afbeelding. "
    "Kies een foto in een van die formaten."
)
DAMAGED = (
    "Deze afbeelding is beschadigd of onvolledig (misschien is het uploaden onderbroken). "
    "Upload haar opnieuw."
)
TOO_MANY_PIXELS = (
    "Deze afbeelding is {megapixels} megapixel; hoogstens 50 megapixel is toegestaan. "
    "Verklein haar en upload haar opnieuw."
)
TOO_MANY_BYTES = (
    "Dit bestand is {megabytes} MB; hoogstens 20 MB is toegestaan. "
    "Verklein de foto en upload haar opnieuw."
)
MISSING_ALT = "Beschrijf kort wat er op de afbeelding te zien is, voor wie haar niet kan zien."


# --- Checking an upload --------------------------------------------------------------


def check(file):
    """Return the decoded first frame of `file`, or raise a ValidationError that says why not."""
    if file.size > MAX_BYTES:
        megabytes = f"{file.size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(TOO_MANY_BYTES.format(megabytes=megabytes), code="file_size")
    try:
        # verify() finds broken structure without decoding; only load() finds a cut-off file.
        file.seek(0)
        with Image.open(file, formats=FORMATS) as image:
            _check_pixels(image)
            image.verify()
        file.seek(0)
        image = Image.open(file, formats=FORMATS)
        _check_pixels(image)
        image.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError(
            TOO_MANY_PIXELS.format(megapixels="meer dan 100"), code="pixels"
        ) from None
    except Image.UnidentifiedImageError:
        raise ValidationError(NOT_AN_IMAGE, code="format") from None
    except Exception as error:
        # Pillow meets hostile input with many kinds of error; each means "not usable".
        logger.info("Refused image upload: %r", error)
        raise ValidationError(DAMAGED, code="damaged") from error
    if image.format not in FORMATS:  # belt and braces: open() was told the same
        raise ValidationError(NOT_AN_IMAGE, code="format")
    return image


def _check_pixels(image):
    width, height = image.size
    if width * height > MAX_PIXELS:
        megapixels = round(width * height / 1_000_000)
        raise ValidationError(TOO_MANY_PIXELS.format(megapixels=megapixels), code="pixels")


# --- Cleaning ------------------------------------------------------------------------


def clean(image):
    """Return `image` upright, in sRGB, as bare pixels: no EXIF, GPS, XMP, profile or comment.

    `image` itself is turned upright: at 50 megapixels, every copy counts.
    """
    ImageOps.exif_transpose(image, in_place=True)
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit greyscale PNG
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    mode = "RGBA" if _has_alpha(image) else "RGB"
    image = _to_srgb(image, mode)
    # A new image receives the pixels only; every piece of metadata stays behind.
    bare = Image.new(mode, image.size)
    bare.paste(image)
    return bare


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def _to_srgb(image, mode):
    """Convert to `mode` through the file's colour profile, if it has one that works."""
    profile = image.info.get("icc_profile")
    image = image if image.mode in ("RGB", "RGBA", "CMYK", "L") else image.convert(mode)
    if profile:
        try:
            return ImageCms.profileToProfile(
                image,
                ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                ImageCms.createProfile("sRGB"),
                outputMode=mode if image.mode in ("RGB", "RGBA") else "RGB",
            ).convert(mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or unusual profile: use the pixels as they are
    return image.convert(mode)


def encode_original(image, source_format):
    """Return (bytes, extension) of the cleaned original, to keep instead of the upload."""
    extension, pillow_format, options = ORIGINALS[source_format]
    return _encode(image, pillow_format, options), extension


def _encode(image, pillow_format, options):
    if pillow_format == "JPEG" and image.mode == "RGBA":
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    buffer = io.BytesIO()
    image.save(buffer, pillow_format, **options)
    return buffer.getvalue()


def digest(content):
    return hashlib.sha256(content).hexdigest()[:10]


# --- Renditions ----------------------------------------------------------------------


def widths(original):
    """Return the rendition widths for an image `original` pixels wide: never upscaled."""
    chosen = [width for width in WIDTHS if width <= original]
    if original < WIDTHS[-1] and original not in chosen:
        chosen.append(original)  # the full resolution of a small image
    return chosen


def crop(image, ratio=CROP_RATIO):
    """Return the largest part of `image` with the aspect `ratio`, placed at CROP_CENTRE."""
    width, height = image.size
    crop_width, crop_height = (
        min(width, round(height * ratio)),
        min(height, round(width / ratio)),
    )
    left = round((width - crop_width) * CROP_CENTRE[0])
    top = round((height - crop_height) * CROP_CENTRE[1])
    return image.crop((left, top, left + crop_width, top + crop_height))


def make_renditions(image, original_name, storage=default_storage):
    """Store every rendition of the cleaned `image`; return their descriptions, for the article.

    Files sit in a folder named after the original, which carries a hash of its content:
    a rendition's URL never shows other pixels, so caches may keep it forever.
    """
    folder = os.path.splitext(original_name)[0]
    renditions = []
    for kind, source in ((FULL, image), (CROP, crop(image))):
        # Each size from the next larger one: the same result, much faster from 50 megapixels.
        for width in sorted(widths(source.width), reverse=True):
            height = max(1, round(source.height * width / source.width))
            if (width, height) != source.size:
                source = source.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
            prefix = "uitsnede-" if kind == CROP else ""
            for fmt, (pillow_format, options) in ENCODINGS.items():
                content = _encode(source, pillow_format, options)
                name = storage.save(
                    f"{folder}/{prefix}{width}.{fmt.replace('jpeg', 'jpg')}", ContentFile(content)
                )
                renditions.append(
                    {
                        "kind": kind,
                        "format": fmt,
                        "width": width,
                        "height": height,
                        "name": name,
                        "size": len(content),
                    }
                )
    return renditions + make_share_crops(image, original_name, storage=storage)


def missing_share_crops(renditions):
    """Return the kinds of SHARE_CROPS that `renditions` lack."""
    present = {r["kind"] for r in renditions or ()}
    return [kind for kind in SHARE_CROPS if kind not in present]


def add_missing_share_crops(renditions, original_name, storage=default_storage):
    """Return `renditions` with the share crops they lack, made from the stored original.

    For images stored before a share crop existed; None when nothing is missing.
    """
    kinds = missing_share_crops(renditions)
    if not kinds:
        return None
    with storage.open(original_name) as file:
        pixels = clean(check(file))
    return [*renditions, *make_share_crops(pixels, original_name, kinds, storage=storage)]


def make_share_crops(image, original_name, kinds=tuple(SHARE_CROPS), storage=default_storage):
    """Store the share crops `kinds` of the cleaned `image`; return their descriptions."""
    folder = os.path.splitext(original_name)[0]
    pillow_format, options = ENCODINGS["jpeg"]
    renditions = []
    for kind in kinds:
        source = crop(image, SHARE_CROPS[kind])
        if source.width > SHARE_WIDTH:
            height = max(1, round(source.height * SHARE_WIDTH / source.width))
            source = source.resize(
                (SHARE_WIDTH, height), Image.Resampling.LANCZOS, reducing_gap=3.0
            )
        content = _encode(source, pillow_format, options)
        name = storage.save(f"{folder}/{kind}.jpg", ContentFile(content))
        renditions.append(
            {
                "kind": kind,
                "format": "jpeg",
                "width": source.width,
                "height": source.height,
                "name": name,
                "size": len(content),
            }
        )
    return renditions


def delete_files(names, storage=default_storage):
    """Delete stored files; a file that cannot be deleted is logged, not fatal."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not delete image file %s", name)


# --- Reading the renditions: pages, feeds, share previews, the admin -------------------


def url(rendition):
    return default_storage.url(rendition["name"])


def of_kind(renditions, kind, fmt):
    """Return the renditions of one kind and format, narrowest first."""
    found = (r for r in renditions or () if r["kind"] == kind and r["format"] == fmt)
    return sorted(found, key=lambda r: r["width"])


def nearest(renditions, kind, fmt, width):
    """Return the narrowest rendition at least `width` wide, else the widest; None if none."""
    found = of_kind(renditions, kind, fmt)
    return next((r for r in found if r["width"] >= width), found[-1] if found else None)


def srcset(renditions):
    return ", ".join(f"{url(r)} {r['width']}w" for r in renditions)


def picture(renditions, kind, max_width=None):
    """Return what a <picture> of one kind needs: srcsets per format, a fallback, its size.

    `max_width` leaves out renditions wider than a small slot can use, even on a sharp screen.
    """

    def usable(fmt):
        found = of_kind(renditions, kind, fmt)
        if max_width is None:
            return found
        return [r for r in found if r["width"] <= max_width] or found[:1]

    jpegs = usable("jpeg")
    if not jpegs:
        return None
    fallback = nearest(jpegs, kind, "jpeg", FALLBACK_WIDTH)
    return {
        "webp": srcset(usable("webp")),
        "jpeg": srcset(jpegs),
        "src": url(fallback),
        "width": fallback["width"],
        "height": fallback["height"],
    }


def share(renditions, kind=CROP):
    """Return the JPEG rendition for link previews, JSON-LD and feeds (about 1200 px wide)."""
    return nearest(renditions, kind, "jpeg", SHARE_WIDTH)


def thumbnail(renditions):
    return nearest(renditions, CROP, "webp", THUMBNAIL_WIDTH)
