"""The media library in the newsroom: images, where each is used, and its focal point.

Writers upload and use images and edit their own; final editors edit and delete any.
An image in use (as lead image or in a body) cannot be deleted.
"""

from django import forms
from django.contrib import admin, messages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from .. import newsroom
from ..models import Image
from .forms import UploadWidget, checked_upload
from .hardening import HardenedAdminMixin

IN_USE = (
    "Deze afbeelding wordt gebruikt en kan niet worden verwijderd. Haal haar eerst uit de "
    "artikelen hieronder (als hoofdafbeelding of uit de tekst)."
)


class FocalPointWidget(forms.HiddenInput):
    """The focal point's hidden input, with the image to click on (static/admin/focal-point.js).

    Not hidden to the admin: its row shows the image; focal_y's input sits beside it.
    """

    template_name = "news/widgets/focal_point.html"
    image = None  # set by ImageAdminForm

    @property
    def is_hidden(self):
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        image = self.image
        context["preview"] = image.thumbnail_full() if image and image.file else None
        context["image"] = image
        return context


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt", "caption", "credit", "focal_x", "focal_y"]
        widgets = {
            "file": UploadWidget,
            "focal_x": FocalPointWidget,
            "focal_y": forms.HiddenInput,
        }
        # Not forms.ImageField: news.images checks the file and says in Dutch what is wrong.
        field_classes = {"file": forms.FileField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        focal = self.fields.get("focal_x")  # none in the form of a new upload
        if focal is None:
            return
        focal.label = "Brandpunt"
        focal.help_text = (
            "Klik op wat in elke uitsnede moet blijven, bijvoorbeeld een gezicht. Met de "
            "pijltjestoetsen schuift het punt. Een nieuw brandpunt geeft nieuwe uitsneden."
        )
        focal.widget.image = self.instance if self.instance.pk else None
        for name in ("focal_x", "focal_y"):
            self.fields[name].validators += [MinValueValidator(0), MaxValueValidator(1)]

    def clean_file(self):
        return checked_upload(self.cleaned_data.get("file"))


class UsageFilter(admin.SimpleListFilter):
    title = "gebruik"
    parameter_name = "gebruik"

    def lookups(self, request, model_admin):
        return [("ja", "In gebruik"), ("nee", "Niet gebruikt")]

    def queryset(self, request, queryset):
        used = Q(lead_of__isnull=False) | Q(in_body_of__isnull=False)
        if self.value() == "ja":
            return queryset.filter(pk__in=Image.objects.filter(used).values("pk"))
        if self.value() == "nee":
            return queryset.exclude(pk__in=Image.objects.filter(used).values("pk"))
        return queryset


@admin.register(Image)
class ImageAdmin(HardenedAdminMixin, admin.ModelAdmin):
    form = ImageAdminForm
    list_display = [
        "thumbnail",
        "alt",
        "caption",
        "credit",
        "uploaded_by",
        "created_at",
        "processing",
    ]
    list_display_links = ["thumbnail", "alt"]
    list_filter = ["renditions_status", UsageFilter, "created_at"]
    search_fields = ["caption", "credit", "alt"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "created_at"
    actions = ["reprocess"]
    readonly_fields = ["processing_details", "usage_list", "uploaded_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["file", "alt", "caption", "credit"]}),
        ("Brandpunt", {"fields": [("focal_x", "focal_y")]}),
        (
            "Gebruik en verwerking",
            {"fields": ["usage_list", "processing_details", "uploaded_by", "created_at"]},
        ),
    ]

    class Media:
        css = {"all": ["admin/news.css", "admin/focal-point.css"]}
        js = ["admin/focal-point.js"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # a new upload: nothing to click on, nothing used yet
            return [(None, {"fields": ["file", "alt", "caption", "credit"]})]
        return super().get_fieldsets(request, obj)

    # --- Who may do what -------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # A writer edits her own uploads; anyone else's she may view and use.
        return obj is None or may_edit_any(request.user) or obj.uploaded_by_id == request.user.pk

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and may_edit_any(request.user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Body images are a many-to-many: Django would simply drop the links. Refuse as for
        # a lead image (PROTECT), naming the articles.
        seen = set(protected)
        for image in objs:
            for article in image.in_body_of.all():
                entry = format_html(
                    'Artikel: <a href="{}">{}</a> (in de tekst)',
                    reverse("admin:news_article_change", args=[article.pk]),
                    article.title,
                )
                if entry not in seen:
                    protected.append(entry)
                    seen.add(entry)
        if protected:
            self.message_user(request, IN_USE, messages.ERROR)
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    # --- The list ------------------------------------------------------------

    @admin.display(description="afbeelding")
    def thumbnail(self, image):
        return list_thumbnail(image) or "(geen bestand)"

    @admin.display(description="verwerking", ordering="renditions_status")
    def processing(self, image):
        label = image.get_renditions_status_display()
        badge = format_html(
            '<span class="badge badge-rendition-{}">{}</span>', image.renditions_status, label
        )
        if image.renditions_status == Image.RenditionStatus.FAILED and image.renditions_error:
            return badge + format_html(
                ' <span class="rendition-error">{}</span>', image.renditions_error
            )
        return badge

    # --- The form ------------------------------------------------------------

    @admin.display(description="verwerking")
    def processing_details(self, image):
        text = {
            Image.RenditionStatus.PENDING: "De versies voor lezers worden gemaakt; tot dan "
            "zien lezers het opgeschoonde origineel.",
            Image.RenditionStatus.READY: "Alle versies voor lezers zijn klaar.",
            Image.RenditionStatus.FAILED: "Het maken van de versies is mislukt; lezers zien "
            "het opgeschoonde origineel. Kies in de lijst 'Opnieuw verwerken'.",
        }[image.renditions_status]
        details = format_html("{} ({} pogingen)", text, image.renditions_attempts)
        if image.renditions_error:
            error = image.renditions_error
            details += format_html('<br><span class="rendition-error">{}</span>', error)
        return details

    @admin.display(description="gebruikt in")
    def usage_list(self, image):
        articles = list(image.usages().only("pk", "title", "lead_image_id"))
        if not articles:
            return "Nog in geen enkel artikel."
        return format_html(
            '<ul class="image-usages">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:news_article_change", args=[article.pk]),
                        article.title,
                        "hoofdafbeelding" if article.lead_image_id == image.pk else "in de tekst",
                    )
                    for article in articles
                ),
            ),
        )

    # --- Actions -------------------------------------------------------------

    @admin.action(description="Opnieuw verwerken", permissions=["change"])
    def reprocess(self, request, queryset):
        done = 0
        for image in queryset:
            if not self.has_change_permission(request, image):
                continue  # a writer's selection of someone else's image
            image.reprocess()
            done += 1
        self.message_user(
            request,
            f"{done} afbeelding(en) worden opnieuw verwerkt.",
            messages.SUCCESS if done else messages.WARNING,
        )


def may_edit_any(user):
    """Final editors edit and delete any image; writers only their own (and delete none)."""
    return newsroom.can_publish(user)


def list_thumbnail(image):
    """Return the small crop of `image` for a changelist row; "" without one. Opens no file."""
    found = image.thumbnail() if image is not None else None
    if not found:
        return ""
    return format_html(
        '<img class="list-thumbnail" src="{}" width="80" height="45" alt="" loading="lazy">',
        found[0],
    )
