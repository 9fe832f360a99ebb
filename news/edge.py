"""The edge cache in front (Varnish with xkey, a CDN): every reader response names what it
shows in a Surrogate-Key header, and a change purges exactly those keys, after the
transaction commits, retried in the background, never failing or slowing the save.

Keys (space separated, as Fastly's Surrogate-Key, Varnish's xkey and Cloudflare's
Cache-Tag take them):

- `site`: every reader response (purged when what every page shows changes: a country's
  or topic's name, an editors' page; after a deploy, `manage.py purge_edge`);
- `a<id>`: the article, wherever it shows (its own page, a list entry, a feed item, a Lees
  meer teaser, a front-page headline);
- `front`, `feed`, `follow`, `archive`, `sitemap`: the front page, the site's feeds, the
  Volgen page, the archive index, the sitemaps;
- `c<id>`, `t<id>`: a country's or topic's pages and feeds, and the article pages whose
  Lees meer would take the country's or topic's next article;
- `latest`: the article pages whose Lees meer is topped up with the latest articles;
- `y<year>`, `m<year>-<month>`, `d<year>-<month>-<day>`: the archive's pages.

A change of an article purges the article and the lists it may enter, leave or move on:
the pages that showed it carry its own key, so the rest of the site stays at the edge.
Django's own page cache keeps its pages under the same keys (news/caching.py `changed`).
A page is never kept at the edge past the next scheduled publication or end of
publication (Surrogate-Control, from the page cache's own life for the page).
"""

import json
import logging
import threading
import time
import urllib.request
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)

SITE = "site"
# The latest articles, as they top up Lees meer beside articles with few related ones.
LATEST = "latest"
# How long the sender keeps trying a purge the edge does not take.
GIVE_UP_SECONDS = 600
# A render that began before the change may reach the edge after the first purge.
PURGE_AGAIN_SECONDS = 2
# Cloudflare takes at most this many tags in one purge.
CLOUDFLARE_TAGS = 30

_shown = ContextVar("news_edge_keys", default=None)


def article(pk):
    return f"a{pk}"


def country(pk):
    return f"c{pk}"


def topic(pk):
    return f"t{pk}"


def day(moment):
    """Return the keys of the archive's year, month and day of `moment` (local time)."""
    local = timezone.localtime(moment)
    year, month, date = f"{local:%Y}", f"{local:%m}", f"{local:%d}"
    return [archive_page(year), archive_page(year, month), archive_page(year, month, date)]


def archive_page(*parts):
    """Return the key of the archive page of ("2026",), ("2026", "12") or ("2026", "12",
    "04"); of the archive's index for ()."""
    return f"{'ymd'[len(parts) - 1]}{'-'.join(parts)}" if parts else "archive"


def collecting():
    """Start naming what this request's response shows; return a token for `done`."""
    return _shown.set({SITE})


def done(token):
    """Return the keys named since `collecting()`, sorted, and stop collecting."""
    keys = _shown.get()
    _shown.reset(token)
    return sorted(keys or ())


def shows(*keys):
    """Name what the response being made shows: keys, or lists of keys."""
    collected = _shown.get()
    if collected is None:  # an editor's page: no edge keeps it
        return
    for key in keys:
        if isinstance(key, str):
            collected.add(key)
        else:
            collected.update(key)


def shows_articles(pks):
    shows(article(pk) for pk in pks)


def header_value(keys):
    """Return `keys` as SURROGATE_KEY_HEADER carries them."""
    # Cloudflare's Cache-Tag separates them by commas, the others by spaces.
    comma = settings.SURROGATE_KEY_HEADER.lower() == "cache-tag"
    return ("," if comma else " ").join(keys)


# --- Purging ----------------------------------------------------------------------------


def purging():
    """Return whether changes are purged at an edge (EDGE_PURGE is not "none")."""
    return settings.EDGE_PURGE != "none"


def purge(keys):
    """Purge `keys` at the edge once the transaction commits (at once outside one)."""
    if not purging() or not keys:
        return
    keys, target = frozenset(keys), Target.from_settings()
    transaction.on_commit(lambda: _sender.send(target, keys))


def keys_of_article(instance):
    """Return the keys a change of `instance` (an Article) purges, but for its countries'
    and topics' lists: the article, the site's lists, its archive year, month and day."""
    keys = {article(instance.pk), "front", "feed", "follow", "archive", "sitemap"}
    if instance.published_at:
        keys.update(day(instance.published_at))
    return keys


def tag_keys():
    """Return {CountryTag: country, TopicTag: topic}: the key of a tag's list, by the model
    that tags articles with it."""
    from .models import CountryTag, TopicTag

    return {CountryTag: country, TopicTag: topic}


def keys_of_articles(articles):
    """Return the keys a change of `articles` purges: keys_of_article's, their countries'
    and topics' lists as the database holds them, and the latest articles if one of them is
    among those now (three queries)."""
    from .related import among_the_latest

    keys = set().union(*map(keys_of_article, articles))
    pks = [instance.pk for instance in articles if instance.pk is not None]
    if among_the_latest(pks):
        keys.add(LATEST)
    for through, key in tag_keys().items():
        tags = through.objects.filter(content_object_id__in=pks).values_list("tag_id", flat=True)
        keys.update(map(key, tags.distinct()))
    return keys


class Target(tuple):
    """Where and how purges go: (EDGE_PURGE, EDGE_PURGE_URL, key header, extra headers)."""

    @classmethod
    def from_settings(cls):
        return cls(
            (
                settings.EDGE_PURGE,
                settings.EDGE_PURGE_URL,
                settings.EDGE_PURGE_KEY_HEADER,
                tuple(settings.EDGE_PURGE_HEADERS),
            )
        )

    def requests(self, keys):
        """Yield the requests that purge `keys` (sorted) here."""
        how, url, key_header, headers = self
        if how == "varnish":
            # deploy/varnish/default.vcl: PURGE with the keys in xkey-purge.
            yield urllib.request.Request(
                url, method="PURGE", headers={"xkey-purge": " ".join(keys)}
            )
        elif how == "cloudflare":
            # Cloudflare's purge_cache API: the tags as JSON, at most 30 a call; the API
            # token in EDGE_PURGE_HEADERS ("Authorization: Bearer ...").
            for start in range(0, len(keys), CLOUDFLARE_TAGS):
                body = json.dumps({"tags": keys[start : start + CLOUDFLARE_TAGS]}).encode()
                yield urllib.request.Request(
                    url,
                    method="POST",
                    headers={**dict(headers), "Content-Type": "application/json"},
                    data=body,
                )
        else:
            # As Fastly's purge API takes it: POST, the keys in a Surrogate-Key header, the
            # account's token in EDGE_PURGE_HEADERS ("Fastly-Key: ...").
            yield urllib.request.Request(
                url, method="POST", headers={**dict(headers), key_header: " ".join(keys)}, data=b""
            )


def send_purge(target, keys):
    """Purge `keys` at `target` now; raise OSError when the edge does not take it."""
    for request in target.requests(sorted(keys)):
        with urllib.request.urlopen(request, timeout=5) as answer:
            if answer.status >= 300:
                raise OSError(f"the edge answered {answer.status}")


class _Sender:
    """A background thread per process that sends purges (batched), sends each again
    PURGE_AGAIN_SECONDS later, and retries each second while the edge does not take it."""

    def __init__(self):
        self.due = []  # (when, target, keys, failing since)
        self.condition = threading.Condition()
        self.thread = None

    def send(self, target, keys):
        now = time.monotonic()
        with self.condition:
            self.due += [(now, target, keys, None), (now + PURGE_AGAIN_SECONDS, target, keys, None)]
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="news-edge", daemon=True)
                self.thread.start()
            self.condition.notify()

    def _run(self):
        while True:
            with self.condition:
                while True:
                    now = time.monotonic()
                    ready = [entry for entry in self.due if entry[0] <= now]
                    if ready:
                        break
                    later = min((entry[0] for entry in self.due), default=None)
                    self.condition.wait(None if later is None else later - now)
                self.due = [entry for entry in self.due if entry[0] > now]
            for target in {entry[1] for entry in ready}:
                batch = [entry for entry in ready if entry[1] == target]
                keys = frozenset().union(*(entry[2] for entry in batch))
                since = min((entry[3] for entry in batch if entry[3] is not None), default=now)
                self._try(target, keys, since, now)

    def _try(self, target, keys, since, now):
        try:
            send_purge(target, keys)
        except OSError as error:
            if now - since > GIVE_UP_SECONDS:
                log.error("The edge took no purge for %s s; given up: %s", GIVE_UP_SECONDS, error)
                return
            log.warning("The edge did not take a purge (%s); trying again", error)
            with self.condition:
                self.due.append((now + 1, target, keys, since))


_sender = _Sender()
