from django.conf import settings
from django.db import models

NOTE_LENGTH = 2000


class Review(models.Model):
    """Where a draft stands with the final editors: submitted for review, or sent back.

    One row per article at most, gone once the article is published. A model of its own
    rather than fields on Article: submitting or sending back changes no text, so it does
    not count as a save that another editor's open form would conflict with.
    """

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Klaar voor eindredactie"
        RETURNED = "returned", "Teruggestuurd"

    article = models.OneToOneField(
        "news.Article", on_delete=models.CASCADE, primary_key=True, related_name="review"
    )
    state = models.CharField("eindredactie", max_length=10, choices=State.choices)
    note = models.TextField("toelichting", max_length=NOTE_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="door",
    )
    at = models.DateTimeField("tijdstip")

    class Meta:
        verbose_name = "eindredactie"
        verbose_name_plural = "eindredactie"
        indexes = [models.Index(fields=["state"], name="news_review_state_idx")]

    def __str__(self):
        return self.get_state_display()
