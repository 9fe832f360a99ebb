"""How text is cut, dated and compared for readers: teasers, the date line, folded words."""

import re
import unicodedata

from django.utils import timezone

TEASER_LENGTH = 175
ELLIPSIS = "..."
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


def teaser(text, limit=TEASER_LENGTH):
    """Return text whole up to `limit` characters, else cut at the last space and add "..."."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit + 1)
    if cut <= 0:
        # One long word: there is no word boundary to respect.
        return text[:limit] + ELLIPSIS
    return text[:cut] + ELLIPSIS


def dutch_date(moment):
    """Return "4 mei 2014" for an aware datetime, in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def date_line(moment, place=""):
    """Return "4 mei 2014 - 15:44 - Marokko": Dutch date, 24-hour local time, place."""
    if moment is None:
        return place or ""
    local = timezone.localtime(moment)
    parts = [dutch_date(local), f"{local:%H:%M}"]
    if place:
        parts.append(str(place))
    return " - ".join(parts)


def date_time(moment):
    """Return "4 mei 2014 - 15:44:07": when something was saved, to the second."""
    local = timezone.localtime(moment)
    return f"{dutch_date(local)} - {local:%H:%M:%S}"


# Control characters (C0 and C1, line breaks and tabs included) and the bidirectional
# overrides and isolates that can turn a headline around.
NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def single_line(text):
    """Return text as one line: control characters and bidi overrides out, spaces collapsed."""
    return " ".join(NOT_IN_A_LINE.sub(" ", text or "").split())


def fold(text):
    """Return `text` in lower case without accents: "Jordanië" gives "jordanie"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
