from django.conf import settings
from django.db import models


class AutosavedDraft(models.Model):
    """What an editor typed in the article form and has not saved: hers alone, never live.

    One per editor and article, and one per editor for a new article (`article` empty).
    Saving the article or "Weggooien" deletes it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="door"
    )
    article = models.ForeignKey(
        "news.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="artikel",
    )
    data = models.JSONField("inhoud")
    saved_at = models.DateTimeField("bewaard op")

    class Meta:
        verbose_name = "automatisch bewaarde tekst"
        verbose_name_plural = "automatisch bewaarde teksten"
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="autosave_one_per_article"),
            # NULLs are distinct in a unique index: a new article needs its own constraint.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(article__isnull=True),
                name="autosave_one_new_article",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.saved_at:%d-%m-%Y %H:%M})"
