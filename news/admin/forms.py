from django import forms
from django.contrib.admin.widgets import AdminFileWidget, FilteredSelectMultiple
from django.core.files.uploadedfile import UploadedFile
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from taggit.forms import TagWidget

from .. import images, markup, newsroom
from ..body import MISSING_IMAGE, missing_image_ids
from ..models import Article, Country, Image, Topic
from ..models.vocabulary import NAME_LENGTH
from .conflict_form import ConflictFormMixin
from .hardening import SafeAutocompleteSelect, is_key
from .review import ReviewFormMixin


class TopicsWidget(TagWidget):
    """A comma-separated text box that suggests existing topics as the editor types."""

    template_name = "news/widgets/topics.html"

    class Media:
        js = ["admin/topic-suggestions.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = f"{context['widget']['attrs']['id']}-suggesties"
        context["widget"]["attrs"]["autocomplete"] = "off"
        context["suggestions"] = list(Topic.objects.values_list("name", flat=True))
        return context


class LeadImageSelect(SafeAutocompleteSelect):
    """The library image chosen as lead image: a search box, with the chosen image shown."""

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        image = None
        if value not in (None, "") and is_key(Image._meta.pk, value):
            image = Image.objects.filter(pk=value).first()
        preview = render_to_string(
            "news/widgets/lead_image.html",
            {"image": image, "thumbnail": image.thumbnail() if image else None},
        )
        return mark_safe(preview + select)


class UploadWidget(AdminFileWidget):
    """A file input that offers the formats the library accepts."""

    def __init__(self, attrs=None):
        # The file picker offers what is accepted; the server checks the content regardless.
        super().__init__({"accept": "image/jpeg,image/png,image/webp,image/gif", **(attrs or {})})


def checked_upload(upload):
    """Check an uploaded image (Dutch ValidationError if unusable); keep its decoded pixels.

    Not forms.ImageField: news.images checks the file and says in Dutch what is wrong.
    """
    if isinstance(upload, UploadedFile):  # not the stored file, nor False for "wissen"
        # Kept on the file: saving the image cleans these pixels without decoding again.
        upload.checked_image = images.check(upload)
    return upload


NO_UPLOADS = "U mag geen afbeeldingen aan de mediabibliotheek toevoegen."


class LeadImageUploadMixin:
    """The article form's upload straight into the library: a file with its texts.

    On save (ArticleAdmin.save_related, in the same transaction) the upload becomes a
    library Image and the article's lead image; the other fields belong to that upload.
    """

    may_upload = False  # set per request by ArticleAdmin.get_form

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if isinstance(upload, UploadedFile) and not self.may_upload:
            raise forms.ValidationError(NO_UPLOADS)
        return checked_upload(upload)

    def clean_upload(self, cleaned):
        """Ask for the alt text of a new upload; the upload wins over the chosen image."""
        if not isinstance(cleaned.get("image"), UploadedFile):
            return
        if not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", images.MISSING_ALT)

    def save_upload(self, user):
        """Store the upload in the library and make it the lead image; None without one."""
        upload = self.cleaned_data.get("image")
        if not isinstance(upload, UploadedFile) or not self.may_upload:
            return None
        image = Image(
            file=upload,
            alt=self.cleaned_data.get("image_alt", ""),
            caption=self.cleaned_data.get("image_caption", ""),
            credit=self.cleaned_data.get("image_credit", ""),
            uploaded_by=user if user.is_authenticated else None,
        )
        image.name_stem = self.instance.slug or self.instance.title
        image.save()
        self.instance.lead_image = image
        return image


class ArticleAdminForm(LeadImageUploadMixin, ReviewFormMixin, ConflictFormMixin, forms.ModelForm):
    # A closed list: an editor picks "Marokko", and cannot type "Marroko".
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        required=False,
        label="Landen",
        widget=FilteredSelectMultiple("landen", is_stacked=False),
        help_text="Typ in het zoekveld om een land te vinden en kies het met de pijl. Het land "
        "van de plaats hoort er altijd bij en wordt vanzelf toegevoegd.",
    )
    # The version the editor opened; a save against an older one is refused.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # After a refused save: the version she first opened, the base for "keep both".
    conflict_base = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # The upload straight into the library (LeadImageUploadMixin); the library's own
    # images are chosen in `lead_image`.
    image = forms.FileField(
        label="Nieuwe afbeelding uploaden",
        required=False,
        widget=UploadWidget,
        help_text="Of upload hier een nieuwe: die komt in de mediabibliotheek en wordt de "
        "hoofdafbeelding. JPEG, PNG, WebP of GIF; hoogstens 20 MB en 50 megapixel.",
    )
    image_alt = forms.CharField(
        label="Alt-tekst bij de upload",
        required=False,
        max_length=250,
        help_text="Verplicht bij een nieuwe afbeelding: wat is erop te zien? Voor wie de "
        "afbeelding niet kan zien, bijvoorbeeld: 'Twee generaals geven elkaar een hand op een "
        "vliegveld.'",
        widget=forms.TextInput(attrs={"class": "vTextField"}),
    )
    # The library's own fields (length, help text), for the upload.
    image_caption = Image._meta.get_field("caption").formfield(
        label="Bijschrift bij de upload", widget=forms.TextInput(attrs={"class": "vTextField"})
    )
    image_credit = Image._meta.get_field("credit").formfield(
        label="Maker bij de upload", widget=forms.TextInput(attrs={"class": "vTextField"})
    )

    can_publish = False  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 20, "class": "vLargeTextField"}),
            "topics": TopicsWidget,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version
        # Django's admin writes "Datum:" and "Tijd:" as plain text beside the two boxes
        # of a date and time: give each box a name that screen readers announce.
        for name in ("published_at", "unpublish_at"):
            field = self.fields.get(name)  # none for a writer: read-only there
            if field is not None and isinstance(field.widget, forms.SplitDateTimeWidget):
                date, time = field.widget.widgets
                date.attrs["aria-label"] = f"{field.label}: datum"
                time.attrs["aria-label"] = f"{field.label}: tijd"

    @staticmethod
    def _one_place(cleaned):
        """The place is one of the article's countries: added to them when missing, and
        taken from them when it is empty and there is only one."""
        place, countries = cleaned.get("country"), cleaned.get("countries")
        if countries is None:
            return
        if place and place not in countries:
            cleaned["countries"] = [*countries, place]
        elif not place and len(countries) == 1:
            cleaned["country"] = countries[0]

    def clean_body(self):
        body = clean_markdown(self.cleaned_data.get("body", ""))
        if missing := missing_image_ids(body):  # [[afbeelding:123]] that is not in the library
            raise forms.ValidationError([MISSING_IMAGE.format(pk) for pk in missing])
        return body

    def clean_topics(self):
        names = self.cleaned_data.get("topics") or []
        too_long = [name for name in names if len(name) > NAME_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Een onderwerp mag hoogstens {NAME_LENGTH} tekens lang zijn; "
                f"dit is er {len(too_long[0])}: “{too_long[0][:40]}…”."
            )
        return names

    def clean(self):
        cleaned = super().clean()
        self._one_place(cleaned)
        self.clean_upload(cleaned)
        if not self.can_publish and cleaned.get("status") == Article.Status.PUBLISHED:
            raise forms.ValidationError(newsroom.ONLY_FINAL_EDITORS)
        if self.instance.pk:
            self._refuse_stale_version(cleaned.get("opened_version"))
        return cleaned


def clean_markdown(body):
    """Return `body`, or raise a ValidationError if it is too long or too slow to render."""
    if len(body) > markup.MAX_LENGTH:
        raise forms.ValidationError(
            f"De tekst is te lang: hoogstens {markup.MAX_LENGTH:,} tekens, nu "
            f"{len(body):,}. Splits het stuk in delen.".replace(",", ".")
        )
    try:
        markup.render_within(body)
    except markup.TooSlow:
        raise forms.ValidationError(
            "De opmaak van deze tekst is te ingewikkeld om op tijd te verwerken. "
            "Vereenvoudig haar: bijvoorbeeld veel ‘![’ of ‘[’ achter elkaar. Uw tekst "
            "staat nog in het veld."
        ) from None
    return body
