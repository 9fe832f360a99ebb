"""The excerpt a search result shows: the text around the first match, matches marked."""

import html

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from .search_index import WORD, normalize, term

LENGTH = 240
# How much text comes before the first match.
BEFORE = 70
ELLIPSIS = "…"


def _plain(article):
    body = " ".join(html.unescape(strip_tags(article.body_html)).split())
    return normalize(f"{article.lead} {body}".strip())


def snippet(article, wanted):
    """Return about LENGTH characters of the lead and body of `article` as HTML, from a little
    before the first word whose term is in `wanted`, with those words in <mark>."""
    text = _plain(article)
    matches = [m for m in WORD.finditer(text) if term(m[0]) in wanted]
    start = 0
    # BEFORE characters before the first match, unless the rest of the text is short.
    cut = min(matches[0].start() - BEFORE, len(text) - LENGTH) if matches else 0
    if cut > 0:
        # Begin at a word: just after the first space after the cut, if before the match.
        space = text.find(" ", cut, matches[0].start())
        start = space + 1 if space >= 0 else cut
    end = len(text)
    if end - start > LENGTH:
        end = text.rfind(" ", start, start + LENGTH)
        end = end if end > start else start + LENGTH
    parts = [ELLIPSIS + " " if start else ""]
    position = start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        parts += [escape(text[position : match.start()]), f"<mark>{escape(match[0])}</mark>"]
        position = match.end()
    parts += [escape(text[position:end]), " " + ELLIPSIS if end < len(text) else ""]
    return mark_safe("".join(parts))
