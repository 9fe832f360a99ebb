from django import forms
from django.contrib.admin.widgets import AdminFileWidget, FilteredSelectMultiple
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from taggit.forms import TagWidget

from .. import images, newsroom
from ..conflicts import CLASH, TEXT_FIELDS, Conflict, merge_set, merge_text, merge_value
from ..models import Article, Country, Topic
from ..tagging import parse_tags
from ..text import date_time


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


class ArticleAdminForm(forms.ModelForm):
    # A closed list: an editor picks "Marokko", and cannot type "Marroko".
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        required=False,
        label="Landen",
        widget=FilteredSelectMultiple("landen", is_stacked=False),
        help_text="Typ in het zoekveld om een land te vinden en kies het met de pijl.",
    )
    # The version the editor opened; a save against an older one is refused.
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # After a refused save: the version she first opened, the base for "keep both".
    conflict_base = forms.IntegerField(widget=forms.HiddenInput, required=False)

    can_publish = False  # set per request by ArticleAdmin.get_form
    conflict = None  # a news.conflicts.Conflict when the save was refused

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

    def clean(self):
        cleaned = super().clean()
        if not self.can_publish and cleaned.get("status") == Article.Status.PUBLISHED:
            raise forms.ValidationError(newsroom.ONLY_FINAL_EDITORS)
        if self.instance.pk:
            self._refuse_stale_version(cleaned.get("opened_version"))
        return cleaned

    def _refuse_stale_version(self, opened_at):
        current = (
            Article.objects.select_for_update(of=("self",))
            .filter(pk=self.instance.pk)
            .values("version", "status", "updated_at", "updated_by__username",
                    "updated_by__first_name")
            .first()
        )  # fmt: skip
        if current is None:
            return
        live = current["status"] != Article.Status.DRAFT and not self.can_publish
        # "Keep both" never saves: it fills the form for the editor to check first.
        keep_both = "_keep_both" in self.data
        if opened_at == current["version"] and not live and not keep_both:
            return
        who = current["updated_by__first_name"] or current["updated_by__username"] or "iemand"
        when = date_time(current["updated_at"])
        base = self.data.get("conflict_base") or opened_at
        self.conflict = Conflict(self.instance.pk, base)
        # The form shows again with the editor's text; the next save is a conscious overwrite.
        self.data = self.data.copy()
        self.data["opened_version"] = current["version"]
        self.data["conflict_base"] = base
        if live:
            raise forms.ValidationError(
                f"Dit artikel is intussen gepubliceerd of ingepland door {who} op {when}. "
                "Alleen een eindredacteur kan het nu nog wijzigen. Uw wijzigingen zijn niet "
                "opgeslagen en staan hieronder: kopieer ze en geef ze door aan de eindredactie."
            )
        if keep_both:
            self._keep_both()
        raise forms.ValidationError(
            f"Dit artikel is intussen opgeslagen door {who} op {when}. Uw wijzigingen zijn "
            "nog niet opgeslagen en staan hieronder. Hieronder ziet u wat er intussen is "
            "veranderd: neem die wijzigingen over met „Beide wijzigingen bewaren”, of sla "
            "opnieuw op om ze te overschrijven."
        )

    def _keep_both(self):
        """Copy the other editor's changes into the posted data where they do not clash."""
        base, theirs = self.conflict.base, self.conflict.theirs
        if base is None:
            raise forms.ValidationError(
                "De versie die u opende is niet bewaard: neem de wijzigingen met de hand over."
            )
        clashes = []
        for name in TEXT_FIELDS:
            if name not in self.fields:
                continue
            merged = merge_text(base.get(name), self.data.get(name, ""), theirs.get(name))
            if merged is None:
                clashes.append(self.fields[name].label)
            else:
                self.data[name] = merged
        if "topics" in self.fields:
            mine = parse_tags(self.data.get("topics", ""))
            merged = merge_set(base.get("topics", []), mine, theirs.get("topics", []))
            names = [n for n in mine if n in merged] + sorted(merged - set(mine))
            self.data["topics"] = ", ".join(names)
        if "countries" in self.fields:
            codes = dict(Country.objects.values_list("pk", "code"))
            pks = {code: pk for pk, code in codes.items()}
            mine = [codes.get(int(pk)) for pk in self.data.getlist("countries") if pk.isdigit()]
            merged = merge_set(base.get("countries", []), mine, theirs.get("countries", []))
            self.data.setlist("countries", [str(pks[c]) for c in sorted(merged) if c in pks])
        if "status" in self.fields:
            status = merge_value(base.get("status"), self.data.get("status"), theirs["status"])
            if status is CLASH:
                clashes.append(self.fields["status"].label)
            else:
                self.data["status"] = status
        for name in ("published_at", "unpublish_at"):
            if name in self.fields and not self._keep_their_moment(name, base, theirs):
                clashes.append(self.fields[name].label)
        message = "De wijzigingen van de ander staan nu ook in het formulier. Controleer alles"
        if clashes:
            message += (
                "; in " + ", ".join(str(label) for label in clashes) + " veranderde u "
                "dezelfde passage als de ander: daar staat uw versie, de hunne ziet u hieronder"
            )
        raise forms.ValidationError(message + ", en sla dan op.")

    def _keep_their_moment(self, name, base, theirs):
        """Put their publication time in the form if only they changed it; False on a clash."""
        field = self.fields[name]
        try:
            mine = field.clean(field.widget.value_from_datadict(self.data, self.files, name))
        except forms.ValidationError:
            return True  # her own typing error: the form will say so
        moment = merge_value(
            parse_datetime(base[name]) if base.get(name) else None,
            mine,
            parse_datetime(theirs[name]) if theirs.get(name) else None,
        )
        if moment is CLASH:
            return False
        local = timezone.localtime(moment) if moment else None
        self.data[f"{name}_0"] = formats.localize_input(local.date()) if local else ""
        self.data[f"{name}_1"] = formats.localize_input(local.time()) if local else ""
        return True
