"""Library images: what an upload must be, how it is cleaned, and the renditions readers get.

The editor's request checks an upload and stores its cleaned original (one decode, cleaned in
place); the background worker (news/tasks.py) makes the renditions from that original. Reader
pages, feeds and the admin read the list of renditions stored with the image and open no file.
All files go through the "default" entry of Django's STORAGES.
"""

import hashlib
import io
import logging
import math
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
# The front page's lead story and teasers: 16:9, cut around the image's focal point (x, y
# from the top left, as fractions of width and height) that the editor chose.
CROP_RATIO = 16 / 9
DEFAULT_FOCAL = (0.5, 0.5)
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

    At 50 megapixels every copy of the pixels counts (150 to 200 MB): `image` is turned and
    colour-converted in place where it can be, and converted only when its mode must change.
    """
    ImageOps.exif_transpose(image, in_place=True)
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):  # 16-bit greyscale PNG
        image = image.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    mode = "RGBA" if _has_alpha(image) else "RGB"
    image = _to_srgb(image, mode)
    # The pixels only: every saver below reads metadata from `info` (or from its own
    # arguments, which never carry any), so an empty `info` leaves every piece behind.
    image.info = {}
    return image


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info


def _to_srgb(image, mode):
    """Convert to `mode` through the file's colour profile, if it has one that works."""
    profile = image.info.get("icc_profile")
    image = image if image.mode in ("RGB", "RGBA", "CMYK", "L") else image.convert(mode)
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            srgb = ImageCms.createProfile("sRGB")
            if image.mode == mode:
                ImageCms.profileToProfile(image, source, srgb, inPlace=True)
                return image
            converted = ImageCms.profileToProfile(
                image,
                source,
                srgb,
                outputMode=mode if image.mode in ("RGB", "RGBA") else "RGB",
            )
            return converted if converted.mode == mode else converted.convert(mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken or unusual profile: use the pixels as they are
    return image if image.mode == mode else image.convert(mode)


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
#
# Made by the background worker (news/tasks.py) from the stored, cleaned original. A JPEG is
# decoded at the smallest scale the largest rendition needs (libjpeg's DCT scaling: a 48-
# megapixel photo is read as 12, in a quarter of the time and memory); each rendition is then
# resampled straight from the region it shows, without intermediate copies.


def widths(original):
    """Return the rendition widths for an image `original` pixels wide: never upscaled."""
    chosen = [width for width in WIDTHS if width <= original]
    if original < WIDTHS[-1] and original not in chosen:
        chosen.append(original)  # the full resolution of a small image
    return chosen


def crop_box(size, ratio=CROP_RATIO, focal=DEFAULT_FOCAL):
    """Return (left, top, right, bottom) of the largest part of `size` with the aspect `ratio`.

    The part is centred on the focal point (x, y as fractions of the width and height) as far
    as the edges allow: the point is always inside it.
    """
    width, height = size
    crop_width = max(1, min(width, round(height * ratio)))
    crop_height = max(1, min(height, round(width / ratio)))
    left = _place(focal[0] * width, crop_width, width)
    top = _place(focal[1] * height, crop_height, height)
    return left, top, left + crop_width, top + crop_height


def _place(centre, length, total):
    """Return where a span of `length` starts to be centred on `centre`, inside 0..total."""
    return min(max(0, round(centre - length / 2)), total - length)


def crop(image, ratio=CROP_RATIO, focal=DEFAULT_FOCAL):
    """Return the largest part of `image` with the aspect `ratio`, around the focal point."""
    return image.crop(crop_box(image.size, ratio, focal))


def focal_digest(focal):
    """Return a short digest of the focal point, for the names of the crops cut around it."""
    x, y = (min(1.0, max(0.0, float(value))) for value in focal)
    return hashlib.sha256(f"{x:.4f},{y:.4f}".encode()).hexdigest()[:6]


def plan(size, focal=DEFAULT_FOCAL, kinds=None):
    """Return the renditions of an image of `size`: (kind, box, width, height, formats).

    `box` is the part of the original each shows, in the original's pixels. `kinds` limits
    the plan to some kinds (FULL, CROP and the SHARE_CROPS); None is all of them.
    """
    full_box = (0, 0, *size)
    planned = []
    for kind, box in ((FULL, full_box), (CROP, crop_box(size, CROP_RATIO, focal))):
        box_width, box_height = box[2] - box[0], box[3] - box[1]
        for width in sorted(widths(box_width), reverse=True):
            height = max(1, round(box_height * width / box_width))
            planned.append((kind, box, width, height, tuple(ENCODINGS)))
    for kind, ratio in SHARE_CROPS.items():
        box = crop_box(size, ratio, focal)
        box_width, box_height = box[2] - box[0], box[3] - box[1]
        width = min(box_width, SHARE_WIDTH)
        height = max(1, round(box_height * width / box_width))
        planned.append((kind, box, width, height, ("jpeg",)))
    return [entry for entry in planned if kinds is None or entry[0] in kinds]


def decode_for(image, planned):
    """Return the pixels of the opened original `image`, no larger than `planned` needs.

    Also returns their scale against the original (1 when decoded whole).
    """
    size = image.size
    # The finest any rendition samples the original: its width over the width it shows.
    scale = max(min(1.0, width / (box[2] - box[0])) for _kind, box, width, _h, _f in planned)
    needed = (max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale)))
    if image.format == "JPEG":
        image.draft(None, needed)  # the smallest DCT scale at least `needed`
    image.load()
    image = clean(image)
    factor = min(image.width // needed[0], image.height // needed[1])
    if factor >= 2:  # other formats decode whole: shrink once and let the whole go
        image = _reduce_in_strips(image, factor)
    return image, image.width / size[0]


def _reduce_in_strips(image, factor, strip_bytes=16 * 1024 * 1024):
    """Return `image` reduced by `factor`, a strip at a time.

    Image.reduce() and resize() copy a whole RGBA image first (to premultiply its alpha);
    a strip at a time, that copy is a few MB instead of 200.
    """
    width, height = image.size
    reduced = Image.new(image.mode, (-(-width // factor), -(-height // factor)))
    rows = max(factor, strip_bytes // (width * 4) // factor * factor)
    for top in range(0, height, rows):
        strip = image.crop((0, top, width, min(height, top + rows)))
        reduced.paste(strip.reduce(factor), (0, top // factor))
        del strip
    return reduced


def render(image, scale, planned, original_name, focal=DEFAULT_FOCAL, storage=default_storage):
    """Store the `planned` renditions from `image` (the original at `scale`); return them.

    Full widths sit in a folder named after the original, which carries a hash of its content:
    a rendition's URL never shows other pixels, so caches may keep it forever. Crops also
    carry the focal point's digest: a new focal point gives new names.
    If a file cannot be stored, those already stored are deleted and the error raised.
    """
    folder = os.path.splitext(original_name)[0]
    point = focal_digest(focal)
    renditions = []
    try:
        for kind, box, width, height, formats in planned:
            region = tuple(edge * scale for edge in box)
            if (width, height) == image.size and region == (0, 0, *image.size):
                pixels = image
            else:
                pixels = image.resize((width, height), Image.Resampling.LANCZOS, box=region)
            for fmt in formats:
                pillow_format, options = ENCODINGS[fmt]
                content = _encode(pixels, pillow_format, options)
                extension = fmt.replace("jpeg", "jpg")
                if kind == FULL:
                    stem = f"{width}"
                elif kind == CROP:
                    stem = f"uitsnede-{point}-{width}"
                else:
                    stem = f"{kind}-{point}"
                name = storage.save(f"{folder}/{stem}.{extension}", ContentFile(content))
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
            del pixels
    except BaseException:
        delete_files([r["name"] for r in renditions], storage=storage)
        raise
    return renditions


def make_renditions(original_name, focal=DEFAULT_FOCAL, kinds=None, storage=default_storage):
    """Make and store the renditions of the stored original `original_name`; return them.

    Decodes the original once, at the scale the renditions need. Raises OSError (storage,
    unreadable file) or ValidationError (no longer an acceptable image).
    """
    with storage.open(original_name) as file:
        try:
            image = Image.open(file, formats=FORMATS)
            _check_pixels(image)
            planned = plan(image.size, focal, kinds)
            image, scale = decode_for(image, planned)
        except Image.DecompressionBombError:
            raise ValidationError(TOO_MANY_PIXELS.format(megapixels="meer dan 100")) from None
        except Image.UnidentifiedImageError:
            raise ValidationError(NOT_AN_IMAGE, code="format") from None
    return render(image, scale, planned, original_name, focal, storage=storage)


def missing_share_crops(renditions):
    """Return the kinds of SHARE_CROPS that `renditions` lack."""
    present = {r["kind"] for r in renditions or ()}
    return [kind for kind in SHARE_CROPS if kind not in present]


def add_missing_share_crops(
    renditions, original_name, focal=DEFAULT_FOCAL, storage=default_storage
):
    """Return `renditions` with the share crops they lack, made from the stored original.

    For images stored before a share crop existed; None when nothing is missing.
    """
    kinds = missing_share_crops(renditions)
    if not kinds:
        return None
    made = make_renditions(original_name, focal, kinds=kinds, storage=storage)
    return [*renditions, *made]


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
