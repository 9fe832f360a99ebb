"""Files for the image tests, made with Pillow here: photos as cameras write them, and worse."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

RED, BLUE = (220, 30, 30), (30, 30, 220)
ORIENTATION, GPS_IFD, EXIF_IFD = 0x0112, 0x8825, 0x8769
BODY_SERIAL_NUMBER = 0xA431
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}


def two_halves(size, mode="RGB"):
    """Return an image red on its left half and blue on its right: its orientation shows."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    return image.convert(mode)


def encode(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def camera_jpeg(size=(1600, 1000)):
    """Return a JPEG as a phone writes it: turned by EXIF orientation 6, with GPS and serial."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # shown turned 90 degrees clockwise
    exif[0x010F], exif[0x0110] = "Fotofabriek", "Telefoon 12"  # make, model
    exif.get_ifd(EXIF_IFD)[BODY_SERIAL_NUMBER] = "SN-0042-1337"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (31.0, 37.0, 45.0)  # Marrakech
    gps[3], gps[4] = "W", (7.0, 59.0, 36.0)
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>31,37N</exif:GPSLatitude>'
    xmp += b"</x:xmpmeta>"
    return encode(two_halves(size), "JPEG", exif=exif, icc_profile=profile, xmp=xmp, quality=90)


def image_file(fmt="JPEG", size=(1600, 1000), mode="RGB", **options):
    return encode(two_halves(size, mode), fmt, **options)


def bomb(size=(12000, 12000)):
    """Return a PNG that is tiny on disk and 144 megapixel decoded."""
    return encode(Image.new("1", size), "PNG")


def truncated_jpeg():
    content = image_file("JPEG", size=(1200, 800), quality=95)
    return content[: len(content) // 2]


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b'<script>alert(1)</script><rect width="100" height="100" fill="red"/></svg>'
)


def upload(content, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)
