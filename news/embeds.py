"""Embedded media: a video or social post an editor pasted as a link alone on a line.

The page loads nothing from the other site until the reader asks for it: a placeholder with
the title and "Bekijk op YouTube" is a plain link, which static/js/embeds.js turns into the
player on a click. Only URLs parsed here become embeds: https, an exact host, an id matched
by a pattern. Every address in the markup is rebuilt from those parts, never copied.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.html import format_html

# The only frames the Content Security Policy allows (config/settings.py, frame-src).
FRAME_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")
REL = "noopener noreferrer nofollow"

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
YOUTUBE_PATH = re.compile(r"/(?:shorts|embed|live)/([A-Za-z0-9_-]{11})/?")
YOUTUBE_START = re.compile(r"(?:(\d{1,2})h)?(?:(\d{1,3})m)?(?:(\d{1,5})s?)?")
VIMEO_PATH = re.compile(r"/(?:video/)?(\d{1,12})(?:/([0-9a-f]{6,20}))?/?")
X_PATH = re.compile(r"/([A-Za-z0-9_]{1,15})/status/(\d{1,25})/?")
INSTAGRAM_PATH = re.compile(r"/(p|reel|tv)/([A-Za-z0-9_-]{5,40})/?")
BLUESKY_PATH = re.compile(r"/profile/([A-Za-z0-9.:-]{3,253})/post/([a-z0-9]{5,20})/?")
MASTODON_PATH = re.compile(r"/@([A-Za-z0-9_]{1,30})/(\d{1,25})/?")

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com"}
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
X_HOSTS = {"x.com", "www.x.com", "twitter.com", "www.twitter.com", "mobile.twitter.com"}
INSTAGRAM_HOSTS = {"instagram.com", "www.instagram.com"}
BLUESKY_HOSTS = {"bsky.app"}
# Mastodon lives on thousands of servers: these known ones only, so that no look-alike
# page gets a card that says "Mastodon".
MASTODON_HOSTS = {
    "mastodon.social", "mastodon.online", "mastodon.nl", "mstdn.social", "mas.to",
    "social.overheid.nl", "toot.community", "mastodon.world", "mstdn.nl",
}  # fmt: skip


@dataclass(frozen=True)
class Embed:
    """A recognised link: where it leads, its player (None: a link card), its wording."""

    service: str  # "youtube", "vimeo", "x", ...: the CSS class embed-<service>
    name: str  # "YouTube": in "Bekijk op YouTube"
    url: str  # the canonical page on that site, rebuilt from the parsed id
    player: str | None  # the iframe's address, on one of FRAME_ORIGINS
    default_title: str  # "Video op YouTube", when the editor gave no link text

    def placeholder(self, title=""):
        """Return the trusted markup that stands in for the embed on the page."""
        title = title or self.default_title
        if self.player is None:
            return format_html(
                '<figure class="embed embed-card embed-{}"><a class="embed-link" href="{}" '
                'rel="{}"><span class="embed-title">{}</span> '
                '<span class="embed-button">Bekijk op {}</span></a></figure>',
                self.service, self.url, REL, title, self.name,
            )  # fmt: skip
        return format_html(
            '<figure class="embed embed-{}" data-embed-src="{}" data-embed-title="{}">'
            '<a class="embed-link" href="{}" rel="{}"><span class="embed-title">{}</span> '
            '<span class="embed-button">Bekijk op {}</span></a>'
            '<figcaption class="embed-note">De video wordt pas geladen als u klikt; {} kan dan '
            "gegevens over uw bezoek verzamelen.</figcaption></figure>",
            self.service, self.player, title, self.url, REL, title, self.name, self.name,
        )  # fmt: skip

    def link(self, title=""):
        """Return a plain link to the embed, for feeds."""
        title = title or self.default_title
        return format_html('<p><a href="{}">{} (bekijk op {})</a></p>', self.url, title, self.name)


def parse(url):
    """Return the Embed for `url`, or None when it is no link this site embeds."""
    if not isinstance(url, str) or len(url) > 500 or url != url.strip():
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a malformed port or IPv6 address
        return None
    # https only; a user name or port ("https://youtube.com@evil.example") is a look-alike.
    if parts.scheme != "https" or "@" in parts.netloc or port is not None:
        return None
    host = (parts.hostname or "").lower()
    for hosts, parser in PARSERS:
        if host in hosts:
            return parser(host, parts)
    return None


def _youtube(host, parts):
    query = parse_qs(parts.query)
    if parts.path == "/watch":
        video = query.get("v", [""])[0]
        video = video if YOUTUBE_ID.fullmatch(video) else None
    elif match := YOUTUBE_PATH.fullmatch(parts.path):
        video = match[1]
    else:
        return None
    return _youtube_embed(video, query) if video else None


def _youtu_be(host, parts):
    video = parts.path[1:].rstrip("/")
    return _youtube_embed(video, parse_qs(parts.query)) if YOUTUBE_ID.fullmatch(video) else None


def _youtube_embed(video, query):
    start = _seconds(query.get("t", query.get("start", [""]))[0])
    url = f"https://www.youtube.com/watch?v={video}" + (f"&t={start}s" if start else "")
    player = f"https://www.youtube-nocookie.com/embed/{video}?autoplay=1" + (
        f"&start={start}" if start else ""
    )
    return Embed("youtube", "YouTube", url, player, "Video op YouTube")


def _seconds(value):
    """Return "1m30s", "90s" or "90" as 90; 0 for anything else."""
    match = YOUTUBE_START.fullmatch(value) if value else None
    if not match:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _vimeo(host, parts):
    match = VIMEO_PATH.fullmatch(parts.path)
    # player.vimeo.com takes /video/<id> only; vimeo.com takes /<id>.
    if not match or (host == "player.vimeo.com") != parts.path.startswith("/video/"):
        return None
    video, key = match.groups()
    # An unlisted video carries its key: the player needs it as h=.
    url = f"https://vimeo.com/{video}" + (f"/{key}" if key else "")
    player = f"https://player.vimeo.com/video/{video}?autoplay=1&dnt=1" + (
        f"&h={key}" if key else ""
    )
    return Embed("vimeo", "Vimeo", url, player, "Video op Vimeo")


# Social posts: a card with a link. Their embeds need the network's script on our page (X,
# Instagram) or a lookup first (Bluesky), and Mastodon servers are too many for the CSP.


def _x(host, parts):
    match = X_PATH.fullmatch(parts.path)
    if not match or match[1].lower() in {"i", "home", "search", "intent"}:
        return None
    return Embed("x", "X", f"https://x.com/{match[1]}/status/{match[2]}", None, "Bericht op X")


def _instagram(host, parts):
    match = INSTAGRAM_PATH.fullmatch(parts.path)
    if not match:
        return None
    url = f"https://www.instagram.com/{match[1]}/{match[2]}/"
    return Embed("instagram", "Instagram", url, None, "Bericht op Instagram")


def _bluesky(host, parts):
    match = BLUESKY_PATH.fullmatch(parts.path)
    if not match:
        return None
    url = f"https://bsky.app/profile/{match[1]}/post/{match[2]}"
    return Embed("bluesky", "Bluesky", url, None, "Bericht op Bluesky")


def _mastodon(host, parts):
    match = MASTODON_PATH.fullmatch(parts.path)
    if not match:
        return None
    url = f"https://{host}/@{match[1]}/{match[2]}"
    return Embed("mastodon", "Mastodon", url, None, "Bericht op Mastodon")


PARSERS = (
    (YOUTUBE_HOSTS, _youtube),
    ({"youtu.be"}, _youtu_be),
    (VIMEO_HOSTS, _vimeo),
    (X_HOSTS, _x),
    (INSTAGRAM_HOSTS, _instagram),
    (BLUESKY_HOSTS, _bluesky),
    (MASTODON_HOSTS, _mastodon),
)
