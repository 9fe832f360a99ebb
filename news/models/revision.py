from django.conf import settings
from django.db import models


class Revision(models.Model):
    """A saved state of an article: every field, its tags and its pinned articles.

    `article_id` is a plain number, not a foreign key, so the revisions of a
    deleted article stay and can bring it back.
    """

    article_id = models.BigIntegerField("artikelnummer", db_index=True)
    # The article's version once saved: the state an editor opened at that version.
    version = models.PositiveIntegerField("versie", null=True, blank=True)
    title = models.CharField("titel", max_length=200)
    created_at = models.DateTimeField("tijdstip", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="door",
    )
    note = models.CharField("toelichting", max_length=200, blank=True)
    data = models.JSONField("inhoud")

    class Meta:
        verbose_name = "revisie"
        verbose_name_plural = "revisies"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.created_at:%d-%m-%Y %H:%M})"
