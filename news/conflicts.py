"""Two editors on one article: what the other one changed, and keeping both changes.

The state an editor opened is the revision recorded at the version she opened; what is
stored now is the other editor's work. Their changes are shown as a diff, and "keep
both" copies them into her form wherever she did not change the same place herself.
"""

import difflib

from . import revisions
from .models import Article, Revision

TEXT_FIELDS = (
    "title", "lead", "body", "byline", "source", "seo_title", "seo_description",
)  # fmt: skip


def _lines(text):
    # Browsers send a textarea's line breaks as CR LF; revisions hold what was saved.
    return (text or "").replace("\r\n", "\n")


def _edits(base, other):
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    return [
        (i1, i2, tuple(other[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def _clash(a, b):
    if a == b:
        return False
    overlap = a[0] < b[1] and b[0] < a[1]
    same_insertion = a[0] == a[1] == b[0] == b[1]
    return overlap or same_insertion


def merge_text(base, mine, theirs):
    """Return `mine` with the changes from `base` to `theirs` in it, or None if both
    changed the same words."""
    base, mine, theirs = _lines(base), _lines(mine), _lines(theirs)
    if mine == base or mine == theirs:
        return theirs
    if theirs == base:
        return mine
    b = revisions.tokens(base)
    my_edits, their_edits = _edits(b, revisions.tokens(mine)), _edits(b, revisions.tokens(theirs))
    if any(_clash(m, t) for m in my_edits for t in their_edits):
        return None
    merged = list(b)
    # From the end, so that earlier positions stay valid; an insertion goes before a
    # replacement that starts at the same place.
    for i1, i2, replacement in sorted(set(my_edits + their_edits), reverse=True):
        merged[i1:i2] = replacement
    return "".join(merged)


def merge_set(base, mine, theirs):
    """Return `mine` plus what `theirs` added to `base`, less what `theirs` removed."""
    base, mine, theirs = set(base), set(mine), set(theirs)
    return (mine | (theirs - base)) - (base - theirs)


CLASH = object()


def merge_value(base, mine, theirs):
    """Return theirs where only they changed a value, else mine; CLASH if both did."""
    if mine == base:
        return theirs
    if theirs in (base, mine):
        return mine
    return CLASH


class Conflict:
    """The other editor's work on article `article_id` since the editor opened `version`."""

    def __init__(self, article_id, version):
        self.opened = revisions.opened_state(article_id, version)
        self.current = Article.objects.filter(pk=article_id).first()
        self.theirs = revisions.snapshot(self.current) if self.current else {}

    @property
    def base(self):
        return self.opened.data if self.opened else None

    def changes(self):
        """Return [(label, html)]: what the other editor changed since it was opened."""
        if self.opened is None or self.current is None:
            return []
        stored = Revision(data=self.theirs)
        return revisions.changes(self.opened, stored)
