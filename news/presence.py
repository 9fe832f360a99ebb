"""Who else has an article open in the admin: heartbeats from their browser tabs.

Each open article form sends a heartbeat every PRESENCE_HEARTBEAT_SECONDS and a last
"leaving" one when the tab closes; a tab not heard from for PRESENCE_TIMEOUT_SECONDS
is gone. Stored in the database (news.models.Presence), which every worker shares and
which is there whenever the admin is. This only informs: the refusal of a save made
from an older version (news/admin/conflict_form.py) remains what keeps work from loss.
"""

import re
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from .models import Presence

TAB = re.compile(r"[A-Za-z0-9_-]{1,40}")


def timeout():
    return timedelta(seconds=settings.PRESENCE_TIMEOUT_SECONDS)


def beat(article, user, tab, now=None):
    """Note that `user` has `article` open in browser tab `tab` at `now`."""
    now = now or timezone.now()
    Presence.objects.filter(seen_at__lt=now - timeout()).delete()
    if Presence.objects.filter(article=article, user=user, tab=tab).update(seen_at=now):
        return
    try:
        with transaction.atomic():
            Presence.objects.create(article=article, user=user, tab=tab, opened_at=now, seen_at=now)
    except IntegrityError:  # the same tab's previous heartbeat, still under way
        pass


def leave(article, user, tab):
    """Forget browser tab `tab` of `user` on `article`: it was closed."""
    Presence.objects.filter(article=article, user=user, tab=tab).delete()


def _name(row):
    full = f"{row['user__first_name']} {row['user__last_name']}".strip()
    return full or row["user__username"]


def _present(articles, user, now):
    """Return {article id: [{name, since, text}]}: the others on `articles`, earliest first."""
    rows = (
        Presence.objects.filter(
            article__in=articles, seen_at__gte=(now or timezone.now()) - timeout()
        )
        .exclude(user=user)
        .values("article", "user", "user__username", "user__first_name", "user__last_name")
        .annotate(since=Min("opened_at"))
        .order_by("since", "user")
    )
    present = defaultdict(list)
    for row in rows:
        name, since = _name(row), timezone.localtime(row["since"]).strftime("%H:%M")
        present[row["article"]].append(
            {"name": name, "since": since, "text": f"{name} bewerkt dit artikel sinds {since}"}
        )
    return present


def others(article, user, now=None):
    """Return who else has `article` open: [{name, since (HH:MM), text}], earliest first."""
    return _present([article.pk], user, now).get(article.pk, [])


def attach(articles, user, now=None):
    """Set `.present` on each of `articles` (a page of the list) to others(), in one query."""
    articles = list(articles)
    present = _present([a.pk for a in articles], user, now)
    for article in articles:
        article.present = present.get(article.pk, [])
