"""An article's body: the editor's Markdown, sanitized, with library images and embeds put in.

The sanitizer (news.markup) runs first, as strict as for any text: no <img>, no <iframe>.
Then a line that holds only `[[afbeelding:123]]` (or `[[afbeelding:123|breed]]`), or only a
link that news.embeds recognises, is replaced by markup built here from the parsed id or
URL. Nothing the editor typed reaches the page as markup of its own.
"""

import re
from html import unescape
from urllib.parse import urljoin

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from . import embeds, markup

# In the Markdown: a line of its own (a browser posts a textarea's lines ending in \r\n).
IMAGE_SOURCE = re.compile(r"^[ \t]*\[\[afbeelding:(\d{1,9})(?:\|breed)?\]\][ \t\r]*$", re.M)
# In the sanitized HTML, the same line, and a link or address alone on a line.
IMAGE_LINE = re.compile(r"\[\[afbeelding:(\d{1,9})(\|breed)?\]\]")
LINK_LINE = re.compile(r'<a href="([^"<>]*)"(?: title="[^"<>]*")? rel="[^"<>]*">(.*?)</a>')
URL_LINE = re.compile(r"https://[^\s<>\"]+")
PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
TAG = re.compile(r"<[^>]*>")
# A placeholder as embeds.Embed.placeholder writes it (editors' figures carry no class).
EMBED = re.compile(
    r'<figure class="embed [^"]*"[^>]*><a class="embed-link" href="([^"]*)"[^>]*>'
    r'<span class="embed-title">(.*?)</span>.*?</figure>',
    re.S,
)
MEDIA_TAG = re.compile(r"<(?:img|source)\b[^>]*>")
URL_ATTRIBUTE = re.compile(r'\b(src|srcset)="([^"]*)"')

# The article's column is at most 42rem wide; an ordinary body image a little narrower, so
# that a portrait photo does not fill the screen. "breed" takes the whole column.
SIZES = {
    False: "(min-width: 36rem) 34rem, calc(100vw - 2rem)",
    True: "(min-width: 44rem) 42rem, calc(100vw - 2rem)",
}
MISSING_IMAGE = "Afbeelding {} bestaat niet."


def referenced_image_ids(text):
    """Return the ids of the library images the Markdown `text` names, in order, once each."""
    return list(dict.fromkeys(int(found) for found in IMAGE_SOURCE.findall(text or "")))


def missing_image_ids(text):
    """Return the ids the Markdown `text` names that are no image in the library."""
    from .models import Image

    ids = referenced_image_ids(text)
    if not ids:
        return []
    found = set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True))
    return [pk for pk in ids if pk not in found]


def render_body(text):
    """Return the page's HTML for the Markdown `text`: sanitized, then expanded."""
    return expand(markup.render_markdown(text))


def expand(html):
    """Replace the lines of sanitized `html` that name an image or an embed by their markup."""
    if "[[afbeelding:" not in html and "https://" not in html:
        return html  # nothing to look for: no query, no work
    ids = {int(found[1]) for found in IMAGE_LINE.finditer(html)}
    if ids:
        from .models import Image

        library = Image.objects.in_bulk(ids)
    else:
        library = {}
    return PARAGRAPH.sub(lambda match: _paragraph(match, library), html)


def _paragraph(match, library):
    """Return the paragraph with each line that is only a reference replaced by its figure."""
    lines = match[1].split("\n")
    blocks = [_block(line.strip(), library) for line in lines]
    if all(block is None for block in blocks):
        return match[0]
    parts, text = [], []

    def close_text():
        if text:
            parts.append(f"<p>{chr(10).join(text)}</p>")
            text.clear()

    for line, block in zip(lines, blocks, strict=True):
        if block is None:
            text.append(line)
        else:
            close_text()
            parts.append(block)
    close_text()
    # A line taken out of the middle of a paragraph must not split a tag that spans lines
    # (*cursief over\n[[afbeelding:1]]\nregels*): the sanitizer would change such a piece.
    if any(markup.sanitize(part) != part for part in parts if part.startswith("<p>")):
        return match[0]
    return "\n".join(part for part in parts if part)


def _block(line, library):
    """Return the markup for a line that is only a reference, "" for an unknown image, or None."""
    if match := IMAGE_LINE.fullmatch(line):
        image = library.get(int(match[1]))
        return figure(image, wide=bool(match[2])) if image else ""
    if match := LINK_LINE.fullmatch(line):
        url, title = unescape(match[1]), unescape(TAG.sub("", match[2])).strip()
        embed = embeds.parse(url)
        if embed is None:
            return None
        return embed.placeholder("" if title == url else title)
    if URL_LINE.fullmatch(line):
        embed = embeds.parse(unescape(line))
        return embed.placeholder() if embed else None
    return None


def figure(image, wide=False):
    """Return the <figure> of a library image in the body: lazy, with caption and credit."""
    picture = render_to_string(
        "news/includes/picture.html",
        {"picture": image.picture("full"), "sizes": SIZES[wide], "alt": image.alt},
    ).strip()
    caption, credit = "", ""
    if image.credit:
        credit = format_html(' <span class="credit">{}</span>', image.credit)
    if image.caption or image.credit:
        caption = format_html("<figcaption>{}{}</figcaption>", image.caption, credit)
    css = "body-image body-image-wide" if wide else "body-image"
    return format_html('<figure class="{}">{}{}</figure>', css, mark_safe(picture), caption)


# --- Keeping articles in step ---------------------------------------------------------


def sync_body_images(article):
    """Set `article.body_images` to the existing library images its body names."""
    from .models import Image

    ids = referenced_image_ids(article.body)
    found = list(Image.objects.filter(pk__in=ids).values_list("pk", flat=True)) if ids else []
    article.body_images.set(found)


def refresh_articles(image):
    """Show readers what changed about `image`: re-render the articles using it, touch them.

    Pages are cached by (article, updated_at): touching updated_at, not the version that
    an open article form compares with, makes them new without a false edit conflict.
    """
    from . import edge
    from .caching import changed
    from .models import Article

    now = timezone.now()
    with transaction.atomic():
        touched = set()
        for pk, body in Article.objects.filter(body_images=image).values_list("pk", "body"):
            Article.objects.filter(pk=pk).update(body_html=render_body(body), updated_at=now)
            touched.add(pk)
        leading = Article.objects.filter(lead_image=image)
        touched.update(leading.values_list("pk", flat=True))
        leading.update(updated_at=now)
        # Lists show lead images too: stale with the articles, wherever they show.
        changed(set(map(edge.article, touched)))


# --- Feeds ------------------------------------------------------------------------------


def for_feed(body_html, base_url):
    """Return `body_html` for a feed: absolute image URLs, embeds as plain links."""
    html = EMBED.sub(_embed_link, body_html)
    html = MEDIA_TAG.sub(lambda tag: _absolute(tag[0], base_url), html)
    return html


def _embed_link(match):
    embed = embeds.parse(unescape(match[1]))
    return embed.link(unescape(match[2])) if embed else ""


def _absolute(tag, base_url):
    def absolute(attribute):
        name, value = attribute.groups()
        if name == "srcset":
            entries = (entry.strip().split(" ", 1) for entry in value.split(","))
            value = ", ".join(" ".join([_join(base_url, url), *rest]) for url, *rest in entries)
        else:
            value = _join(base_url, value)
        return f'{name}="{value}"'

    return URL_ATTRIBUTE.sub(absolute, tag)


def _join(base_url, url):
    return urljoin(base_url, url) if url.startswith("/") and not url.startswith("//") else url
