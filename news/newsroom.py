"""The newsroom's rules: who may do what to an article, and what every change takes along.

Every write of articles goes through these operations: the admin (the form, the bulk
actions, the revision views, the topic merge), the demo loader and management commands.
Each one checks the permission, writes, keeps a revision and makes readers' cached pages
stale, so that no path can skip a role or leave a page stale. `user=None` is the system
(a management command): it may do everything.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import edge, merging, revisions
from .caching import changed
from .models import Article, Country, PinnedArticle, Review, Revision
from .models.review import NOTE_LENGTH
from .querysets import State
from .text import date_time

# What only a final editor may set: whether, from when and until when readers see it.
PUBLICATION_FIELDS = ("status", "published_at", "unpublish_at")
ONLY_FINAL_EDITORS = "Alleen een eindredacteur mag artikelen publiceren, inplannen of depubliceren."


class NotAllowed(PermissionDenied):
    """A change the newsroom's rules refuse; its message is Dutch, for the editor."""


def can_publish(user):
    return user is None or user.has_perm("news.publish_article")


def _has(user, action, model="article"):
    return user is None or user.has_perm(f"news.{action}_{model}")


def _who(user):
    return user if user is not None and user.is_authenticated else None


def may_edit(user, article):
    """Return whether `user` may change `article` as it is stored: a writer only drafts."""
    if article.pk is None:
        return _has(user, "add")
    return _has(user, "change") and (article.status == State.DRAFT or can_publish(user))


def _stored(article):
    """Return the stored row of `article`, locked until the transaction ends, or None."""
    if article.pk is None:
        return None
    return Article.objects.select_for_update(of=("self",)).filter(pk=article.pk).first()


def _publication(article):
    return tuple(getattr(article, name) for name in PUBLICATION_FIELDS)


def _check_save(user, stored, article):
    if stored is None:
        if not _has(user, "add"):
            raise NotAllowed("U mag geen artikelen toevoegen.")
        if article.status != State.DRAFT and not can_publish(user):
            raise NotAllowed(ONLY_FINAL_EDITORS)
        return
    if not may_edit(user, stored):
        raise NotAllowed(
            "Dit artikel is gepubliceerd of ingepland: alleen een eindredacteur kan het nog "
            "wijzigen."
        )
    if _publication(article) != _publication(stored) and not can_publish(user):
        raise NotAllowed(ONLY_FINAL_EDITORS)


def _changed(keys):
    # The signals would do this too (news/signals.py), but for what QuerySet.update() and
    # bulk_create() write; each operation names what it changed itself.
    changed(keys)


def _settle_review(article):
    # Published or scheduled: out of the final editors' queue, and no longer sent back.
    if article.status == State.PUBLISHED:
        Review.objects.filter(article_id=article.pk).delete()


@transaction.atomic
def save(article, user, *, relations=None, note="", review=None):
    """Save `article` (new or changed), then `relations(article)` (tags, pins); return it.

    `review` is (SUBMIT or SEND_BACK, note): the review step taken with this save, which
    its revision records.
    """
    stored = _stored(article)
    _check_save(user, stored, article)
    # The lists it leaves, as well as those it joins.
    before = edge.keys_of_articles([stored]) if stored else set()
    article.updated_by = _who(user)
    article.save()
    if relations is not None:
        relations(article)
    if review is not None:
        step, review_note = review
        note = REVIEW_STEPS[step](article, user, review_note)
    _settle_review(article)
    revisions.record(article, user, note=note)
    _changed(before | edge.keys_of_articles([article]))
    return article


def _change_each(articles, user, note, change):
    """Apply `change` to each article that it alters, save and record it; return how many."""
    if not can_publish(user):
        raise NotAllowed(ONLY_FINAL_EDITORS)
    done = []
    with transaction.atomic():
        for article in articles:
            if change(article) is False:
                continue
            article.updated_by = _who(user)
            article.save()
            _settle_review(article)
            revisions.record(article, user, note=note)
            done.append(article)
        if done:
            _changed(edge.keys_of_articles(done))
    return len(done)


def publish(articles, user, now=None):
    """Put `articles` on the site now (scheduled ones too); return how many changed."""
    now = now or timezone.now()

    def change(article):
        if article.state_at(now) == State.PUBLISHED:
            return False
        article.status = State.PUBLISHED
        if article.published_at is None or article.published_at > now:
            article.published_at = now
        if article.unpublish_at and article.unpublish_at <= now:
            article.unpublish_at = None

    return _change_each(articles, user, "Gepubliceerd", change)


def unpublish(articles, user):
    """Take `articles` off the site (back to draft); return how many changed."""

    def change(article):
        if article.status == State.DRAFT:
            return False
        article.status = State.DRAFT

    return _change_each(articles, user, "Gedepubliceerd", change)


def schedule(article, user, at):
    """Publish `article` at the moment `at`; return it."""

    def change(article):
        article.status = State.PUBLISHED
        article.published_at = at

    _change_each([article], user, f"Ingepland voor {date_time(at)}", change)
    return article


def delete(articles, user):
    """Delete `articles`, keeping a last revision of each to bring it back; return how many."""
    articles = list(articles)
    if not _has(user, "delete"):
        raise NotAllowed("U mag geen artikelen verwijderen.")
    if any(a.status != State.DRAFT for a in articles) and not can_publish(user):
        raise NotAllowed(ONLY_FINAL_EDITORS)
    with transaction.atomic():
        keys = edge.keys_of_articles(articles)
        for article in articles:
            revisions.record(article, user, note="Verwijderd")
            article.delete()
        _changed(keys)
    return len(articles)


# --- Restoring a revision ----------------------------------------------------------


def publication_change(revision, article):
    """Return the State the revision would give `article`, if it differs from its own.

    `article` is None for a deleted article, which comes back as a draft by default.
    """
    data = revision.data
    wanted = Article(
        status=data.get("status") or State.DRAFT,
        published_at=_datetime(data.get("published_at")),
        unpublish_at=_datetime(data.get("unpublish_at")),
    )
    current = _publication(article) if article is not None else (State.DRAFT, None, None)
    return wanted.state if _publication(wanted) != current else None


def _datetime(value):
    return parse_datetime(value) if value else None


def check_restore(user, article, *, with_publication=False):
    """Raise NotAllowed unless `user` may put a revision back onto `article` (None: deleted)."""
    if article is None:
        if not _has(user, "add"):
            raise NotAllowed("U mag geen verwijderde artikelen terugzetten.")
    elif not may_edit(user, article):
        raise NotAllowed(
            "Dit artikel is gepubliceerd of ingepland: alleen een eindredacteur kan er een "
            "revisie van terugzetten."
        )
    if with_publication and not can_publish(user):
        raise NotAllowed(ONLY_FINAL_EDITORS)


@transaction.atomic
def restore(revision, user, *, with_publication=False):
    """Bring the article back to `revision` (recreating it when deleted); return it.

    The publication status stays as it is (a deleted article comes back as a draft)
    unless `with_publication`, which only a final editor may ask for. The returned
    article's `image_kept` says whether its current image was kept instead of the old one.
    """
    article = _stored(Article(pk=revision.article_id))
    check_restore(user, article, with_publication=with_publication)
    before = edge.keys_of_articles([article]) if article else set()
    recreated = article is None
    if recreated:
        article = Article(pk=revision.article_id, status=State.DRAFT)
    data = revision.data
    publication = _publication(article)
    # The lead image the revision chose, if it is still in the library; an image that has
    # been deleted since cannot come back: the current one stays.
    wanted = revisions.lead_image_of(data)
    article.image_kept = wanted is revisions.GONE and article.lead_image_id is not None
    if wanted is not revisions.GONE:
        article.lead_image_id = wanted
    elif not article.image_kept:
        article.lead_image_id = None
    for name in revisions.FIELDS:
        if name == "lead_image":
            continue
        value = data.get(name)
        if name in ("published_at", "unpublish_at"):
            value = _datetime(value)
        elif value is None:
            value = ""  # a field this revision predates: text fields are never NULL
        setattr(article, name, value)
    if not with_publication:
        for name, value in zip(PUBLICATION_FIELDS, publication, strict=True):
            setattr(article, name, value)
    if recreated and not with_publication:
        article.published_at = _datetime(data.get("published_at"))  # kept as the planned date
    article.country = Country.objects.filter(code=data.get("country")).first()
    article.updated_by = _who(user)
    article.save()
    article.countries.set(list(Country.objects.filter(code__in=data.get("countries", []))))
    article.topics.set(data.get("topics", []))
    article.pins.all().delete()
    pins = data.get("pins", [])
    existing = set(Article.objects.filter(pk__in=pins).values_list("pk", flat=True))
    PinnedArticle.objects.bulk_create(
        PinnedArticle(article=article, pinned_id=pk, position=i)
        for i, pk in enumerate(p for p in pins if p in existing and p != article.pk)
    )
    _settle_review(article)
    revisions.record(article, user, note=f"Hersteld: revisie van {date_time(revision.created_at)}")
    _changed(before | edge.keys_of_articles([article]))
    return article


# --- Review: the writer submits a draft, the final editor sends it back or publishes it --


def _display_name(user):
    if user is None:
        return "het systeem"
    return user.get_full_name() or user.get_username()


def _review_text(what, user, note):
    """Return the revision's note for a review step, within the length a note may have."""
    text = f"{what} door {_display_name(_who(user))}"
    if note:
        text = f"{text}: {note}"
    limit = Revision._meta.get_field("note").max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _review_note(note):
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH:
        raise NotAllowed(f"De toelichting is te lang: hoogstens {NOTE_LENGTH} tekens.")
    return note


def _submit(article, user, note, now=None):
    """Put the stored, locked draft `article` in the queue; return the revision's note.

    Whoever may edit the draft may submit it, again after it was sent back too.
    """
    note = _review_note(note)
    if article.status != State.DRAFT:
        raise NotAllowed("Alleen een concept kan naar de eindredactie.")
    if not may_edit(user, article):
        raise NotAllowed("U mag dit artikel niet wijzigen.")
    Review.objects.update_or_create(
        article=article,
        defaults={"state": Review.State.SUBMITTED, "note": note, "by": _who(user),
                  "at": now or timezone.now()},
    )  # fmt: skip
    return _review_text("Ingediend voor eindredactie", user, note)


def _send_back(article, user, note, now=None):
    """Send the stored, locked draft `article` back to the writers; return the revision's note."""
    note = _review_note(note)
    if not can_publish(user):
        raise NotAllowed("Alleen een eindredacteur kan een artikel terugsturen.")
    if not note:
        raise NotAllowed("Schrijf erbij wat er nog moet gebeuren.")
    review = Review.objects.select_for_update().filter(article_id=article.pk).first()
    if article.status != State.DRAFT or review is None or review.state != Review.State.SUBMITTED:
        raise NotAllowed("Dit artikel wacht niet op eindredactie.")
    review.state, review.note, review.by = Review.State.RETURNED, note, _who(user)
    review.at = now or timezone.now()
    review.save()
    return _review_text("Teruggestuurd", user, note)


SUBMIT, SEND_BACK = "submit", "send_back"
REVIEW_STEPS = {SUBMIT: _submit, SEND_BACK: _send_back}


def _review_step(step, article, user, note, now):
    with transaction.atomic():
        stored = _stored(article)
        if stored is None:
            raise NotAllowed("Dit artikel bestaat niet meer.")
        revisions.record(stored, user, note=REVIEW_STEPS[step](stored, user, note, now))
        return stored.review


def submit_for_review(article, user, note="", now=None):
    """Put the draft `article` in the final editors' queue with `note`; return the Review."""
    return _review_step(SUBMIT, article, user, note, now)


def send_back(article, user, note, now=None):
    """Send the submitted `article` back to the writers with `note`; return the Review."""
    return _review_step(SEND_BACK, article, user, note, now)


def review_queue():
    """Return the articles waiting for a final editor."""
    return Article.objects.filter(review__state=Review.State.SUBMITTED)


# --- Topics --------------------------------------------------------------------------


@transaction.atomic
def merge_topics(target, topics, user):
    """Merge `topics` into `target` (old names and addresses lead to it); return links moved."""
    if not _has(user, "delete", "topic"):
        raise NotAllowed("U mag geen onderwerpen samenvoegen.")
    others = [topic for topic in topics if topic.pk != target.pk]
    affected = list(
        Article.objects.filter(topics__in=others).distinct().values_list("pk", flat=True)
    )
    moved = merging.merge_topics(target, others)
    names = ", ".join(f"“{topic.name}”" for topic in others)
    note = f"Onderwerp {names} samengevoegd tot “{target.name}”"[:200]
    revisions.record_many(Article.objects.filter(pk__in=affected), user, note=note)
    # The merged topics' names and links were on every page that showed them.
    _changed({edge.SITE})
    return moved
