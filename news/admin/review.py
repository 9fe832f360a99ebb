"""Review by the final editors in the article admin: the queue, the form's buttons, the list."""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from .. import newsroom
from ..models import Review
from ..models.review import NOTE_LENGTH

# The form's buttons, and the newsroom's review step each one takes with the save.
BUTTONS = {"_ter_eindredactie": newsroom.SUBMIT, "_terugsturen": newsroom.SEND_BACK}
MESSAGES = {
    newsroom.SUBMIT: "Het artikel staat klaar voor de eindredactie.",
    newsroom.SEND_BACK: "Het artikel is teruggestuurd naar de redacteur.",
}
# The list filter's values, in the address: ?eindredactie=klaar
QUEUE, RETURNED = "klaar", "teruggestuurd"
STATES = {QUEUE: Review.State.SUBMITTED, RETURNED: Review.State.RETURNED}


class ReviewFilter(admin.SimpleListFilter):
    title = "eindredactie"
    parameter_name = "eindredactie"

    def lookups(self, request, model_admin):
        return [(QUEUE, "Klaar voor eindredactie"), (RETURNED, "Teruggestuurd naar redacteur")]

    def queryset(self, request, queryset):
        if self.value() in STATES:
            return queryset.filter(review__state=STATES[self.value()])
        return queryset


class ReviewFormMixin:
    """The note that goes with "Klaar voor eindredactie" or "Terugsturen naar redacteur"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_note"] = forms.CharField(
            label="Toelichting",
            required=False,
            max_length=NOTE_LENGTH,
            widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        )

    @property
    def review(self):
        """Return (step, note) for newsroom.save if a review button was pressed, else None."""
        step = next((BUTTONS[name] for name in BUTTONS if name in self.data), None)
        if step is None:
            return None
        return step, self.cleaned_data.get("review_note", "")

    def clean(self):
        cleaned = super().clean()
        if self.review is None or self.review[0] != newsroom.SEND_BACK:
            return cleaned
        if not cleaned.get("review_note", "").strip():
            self.add_error(
                "review_note",
                "Schrijf erbij wat er nog moet gebeuren: de redacteur ziet het bij het artikel.",
            )
        if cleaned.get("status", self.instance.status) != self.instance.Status.DRAFT:
            raise forms.ValidationError(
                "Terugsturen kan alleen met de status Concept: publiceren of terugsturen."
            )
        return cleaned


def announce(model_admin, request, form):
    """Say which review step the save took, if any."""
    if form.review is not None:
        model_admin.message_user(request, MESSAGES[form.review[0]], messages.SUCCESS)


def review_of(article):
    """Return the article's Review, or None (read from select_related when listed)."""
    if article is None or article.pk is None:
        return None
    try:
        return article.review
    except Review.DoesNotExist:
        return None


def list_notes(article):
    """Return the HTML under the status in the list: the review state, who has it open."""
    parts = []
    review = review_of(article)
    if review is not None and review.state == Review.State.SUBMITTED:
        parts.append(
            format_html('<span class="badge badge-review">{}</span>', review.get_state_display())
        )
    elif review is not None:
        parts.append(
            format_html(
                '<span class="badge badge-returned">Teruggestuurd</span>'
                '<span class="review-list-note">{}</span>',
                Truncator(review.note).chars(80),
            )
        )
    present = getattr(article, "present", [])
    if present:
        parts.append(
            format_html_join(
                "",
                '<span class="presence-list">{} bewerkt sinds {}</span>',
                ((other["name"], other["since"]) for other in present),
            )
        )
    return format_html_join("", "{}", ((part,) for part in parts))
