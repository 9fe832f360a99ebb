from django import forms
from django.contrib.admin.widgets import AdminFileWidget, FilteredSelectMultiple
from django.core.files.uploadedfile import UploadedFile
from taggit.forms import TagWidget

from .. import images, markup, newsroom
from ..models import Article, Country, Topic
from ..models.vocabulary import NAME_LENGTH
from .conflict_form import ConflictFormMixin
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


class LeadImageWidget(AdminFileWidget):
    """The admin's file input, showing the stored image and its front-page crop."""

    template_name = "news/widgets/image.html"

    def __init__(self, attrs=None):
        # The file picker offers what is accepted; the server checks the content regardless.
        super().__init__({"accept": "image/jpeg,image/png,image/webp,image/gif", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        renditions = getattr(getattr(value, "instance", None), "image_renditions", None)
        context["previews"] = [
            (label, rendition, images.url(rendition))
            for label, rendition in (
                ("Hele afbeelding", images.nearest(renditions, images.FULL, "webp", 320)),
                ("Uitsnede voor de voorpagina", images.thumbnail(renditions)),
            )
            if rendition
        ]
        return context


class ArticleAdminForm(ReviewFormMixin, ConflictFormMixin, forms.ModelForm):
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

    can_publish = False  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 20, "class": "vLargeTextField"}),
            "topics": TopicsWidget,
            "image": LeadImageWidget,
        }
        # Not forms.ImageField: news.images checks the file and says in Dutch what is wrong.
        field_classes = {"image": forms.FileField}

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

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):  # not the stored file, nor False for "wissen"
            # Kept on the file: saving the article cleans these pixels without decoding again.
            image.checked_image = images.check(image)
        return image

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
        return clean_markdown(self.cleaned_data.get("body", ""))

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
