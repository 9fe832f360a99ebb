from django.conf import settings
from django.db import models


class Presence(models.Model):
    """An open article form: who has it open in which browser tab, since when, last seen when.

    A row in the database rather than a cache entry: every gunicorn worker and machine
    sees it, it survives a cache that is down, and the article list finds everyone on a
    page of articles in one query. A tab's heartbeat renews `seen_at`; rows not seen for
    PRESENCE_TIMEOUT_SECONDS no longer count and are deleted on the next heartbeat.
    """

    # No constraints in the database: a heartbeat that arrives as its article or user is
    # deleted leaves a row nobody sees (lists join on both) that the next heartbeat
    # clears, instead of failing that delete. Django still deletes the rows with them.
    article = models.ForeignKey(
        "news.Article",
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name="artikel",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="+",
        verbose_name="wie",
    )
    tab = models.CharField("tabblad", max_length=40)
    opened_at = models.DateTimeField("geopend")
    seen_at = models.DateTimeField("laatst gezien", db_index=True)

    class Meta:
        verbose_name = "aanwezigheid"
        verbose_name_plural = "aanwezigheid"
        constraints = [
            models.UniqueConstraint(fields=["article", "user", "tab"], name="news_presence_tab")
        ]

    def __str__(self):
        return f"{self.user} in {self.article_id}"
