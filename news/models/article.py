from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from ..body import render_body, sync_body_images
from ..querysets import STORED_STATES, ArticleQuerySet, State, state_of
from ..text import date_line, single_line
from ..urlcache import reverse
from .image import LeadImage
from .library import Image
from .vocabulary import Country, CountryTag, TopicManager, TopicTag

# Shown in <title>, og:title, JSON-LD, feeds and teasers: one line, nothing hidden in it.
SINGLE_LINE_FIELDS = (
    "title",
    "lead",
    "byline",
    "source",
    "seo_title",
    "seo_description",
)
# What search engines and link previews show in full (news/seo.py uses the title and the
# lead's teaser when these are empty); longer is allowed up to the field's maximum.
SEO_TITLE_LENGTH, SEO_TITLE_MAX = 60, 70
SEO_DESCRIPTION_LENGTH, SEO_DESCRIPTION_MAX = 150, 160


class Article(LeadImage, models.Model):
    # The one list of states; only Status.DRAFT and Status.PUBLISHED are stored.
    Status = State

    title = models.CharField("titel", max_length=200)
    slug = models.SlugField(
        "slug",
        max_length=200,
        help_text="Het laatste deel van het webadres. Wordt ingevuld op basis van de titel.",
    )
    lead = models.TextField(
        "intro",
        help_text="De eerste alinea. Verschijnt ook in overzichten, feeds en bij 'Lees meer'.",
    )
    body = models.TextField(
        "tekst",
        blank=True,
        help_text="Markdown: een lege regel begint een nieuwe alinea; **vet**, *cursief*, "
        "[link](https://...).",
    )
    body_html = models.TextField(editable=False, blank=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="plaats",
        help_text="Het land in de datumregel boven het artikel. Leeg met één land bij "
        "'Landen': dat land.",
    )
    lead_image = models.ForeignKey(
        Image,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lead_of",
        verbose_name="hoofdafbeelding",
        help_text="Kies een afbeelding uit de mediabibliotheek, of upload hieronder een nieuwe.",
    )
    # Kept in step with the [[afbeelding:id]] lines of the body when the article is saved.
    body_images = models.ManyToManyField(
        Image,
        blank=True,
        editable=False,
        related_name="in_body_of",
        verbose_name="afbeeldingen in de tekst",
    )
    byline = models.CharField("auteur", max_length=200, blank=True)
    source = models.CharField("bron", max_length=200, blank=True)
    seo_title = models.CharField(
        "titel voor zoekmachines",
        max_length=SEO_TITLE_MAX,
        blank=True,
        help_text="Optioneel. De kop in Google en bij gedeelde links; leeg: de titel. "
        f"Google toont ongeveer {SEO_TITLE_LENGTH} tekens.",
    )
    seo_description = models.CharField(
        "beschrijving voor zoekmachines",
        max_length=SEO_DESCRIPTION_MAX,
        blank=True,
        help_text="Optioneel. De tekst onder de kop in Google en bij gedeelde links; leeg: "
        f"het begin van de intro. Google toont ongeveer {SEO_DESCRIPTION_LENGTH} tekens.",
    )
    status = models.CharField("status", max_length=10, choices=STORED_STATES, default=State.DRAFT)
    published_at = models.DateTimeField(
        "publicatiedatum",
        null=True,
        blank=True,
        help_text="Leeg bij publiceren: nu. Een tijd in de toekomst plant het artikel in.",
    )
    unpublish_at = models.DateTimeField(
        "einde publicatie",
        null=True,
        blank=True,
        help_text="Optioneel. Vanaf dit moment verdwijnt het artikel van de site en uit de feeds.",
    )
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    updated_at = models.DateTimeField("bijgewerkt", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="laatst bewerkt door",
    )
    # Counts saves, so that a form opened at an older version can be refused.
    version = models.PositiveIntegerField("versie", default=0, editable=False)

    countries = TaggableManager(
        "landen",
        through=CountryTag,
        blank=True,
        help_text="De landen waar het artikel over gaat, gescheiden door komma's.",
    )
    topics = TaggableManager(
        "onderwerpen",
        through=TopicTag,
        manager=TopicManager,
        blank=True,
        help_text="Onderwerpen, gescheiden door komma's, bijvoorbeeld: defensie, luchtmacht.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "artikel"
        verbose_name_plural = "artikelen"
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_article", "Mag artikelen publiceren, inplannen en depubliceren")]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="news_article_pub_idx"),
            # For the page cache's "when does the next article appear or leave".
            models.Index(fields=["unpublish_at"], name="news_article_unpub_idx"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()  # the lead image's rules
        if self.unpublish_at and self.published_at and self.unpublish_at <= self.published_at:
            raise ValidationError(
                {"unpublish_at": "Het einde van de publicatie moet na de publicatiedatum liggen."}
            )

    def save(self, *args, **kwargs):
        for name in SINGLE_LINE_FIELDS:
            setattr(self, name, single_line(getattr(self, name)))
        if not self.slug:
            self.slug = slugify(self.title)[:200] or "artikel"
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.body_html = render_body(self.body)  # sanitized, then images and embeds put in
        self.version += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body_html", "slug", "version"}
        super().save(*args, **kwargs)
        sync_body_images(self)

    def get_absolute_url(self):
        return reverse("news:article", kwargs={"pk": self.pk, "slug": self.slug})

    def state_at(self, now=None):
        """Return the State at `now` (mirrors the querysets' drafts/scheduled/published)."""
        return state_of(self.status, self.published_at, self.unpublish_at, now or timezone.now())

    @property
    def state(self):
        return self.state_at()

    @property
    def is_published(self):
        return self.state == State.PUBLISHED

    @property
    def country_list(self):
        """The article's countries: as for_listing() fetched them, or read now."""
        prefetched = getattr(self, "prefetched_countries", None)
        return prefetched if prefetched is not None else list(self.countries.all())

    @property
    def topic_list(self):
        """The article's topics: as for_listing() fetched them, or read now."""
        prefetched = getattr(self, "prefetched_topics", None)
        return prefetched if prefetched is not None else list(self.topics.all())

    @property
    def date_line(self):
        return date_line(self.published_at, self.country.name if self.country_id else "")


class PinnedArticle(models.Model):
    """An article an editor put in another article's "Lees meer", in order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="pins")
    pinned = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pinned_in", verbose_name="artikel"
    )
    position = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "vast 'Lees meer'-artikel"
        verbose_name_plural = "vaste 'Lees meer'-artikelen"
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["article", "pinned"], name="news_pin_unique"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("pinned")), name="news_pin_not_self"
            ),
        ]

    def __str__(self):
        return str(self.pinned)
