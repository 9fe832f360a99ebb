from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse

from .. import newsroom
from ..models import Country, Topic
from .hardening import HardenedAdminMixin


class VocabularyAdmin(HardenedAdminMixin, admin.ModelAdmin):
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("tagged_items"))

    @admin.display(description="artikelen", ordering="article_count")
    def article_count(self, tag):
        return tag.article_count


@admin.register(Country)
class CountryAdmin(VocabularyAdmin):
    list_display = ["name", "code", "article_count"]
    search_fields = ["name", "code"]
    readonly_fields = ["name", "slug", "code"]

    # The list of countries is fixed (ISO 3166), loaded by a migration.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        Topic.objects.none(),
        label="Samenvoegen tot",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Kies het onderwerp dat blijft bestaan."},
    )


@admin.register(Topic)
class TopicAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "article_count"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge"]

    @admin.action(description="Geselecteerde onderwerpen samenvoegen", permissions=["delete"])
    def merge(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(
                request, "Kies minstens twee onderwerpen om samen te voegen.", messages.WARNING
            )
            return None
        form = MergeForm(request.POST if "samenvoegen" in request.POST else None)
        form.fields["target"].queryset = queryset
        if form.is_valid():
            target = form.cleaned_data["target"]
            others = [topic for topic in queryset if topic.pk != target.pk]
            moved = newsroom.merge_topics(target, others, request.user)
            self.message_user(
                request,
                f"{len(others) + 1} onderwerpen samengevoegd tot “{target.name}”; "
                f"{moved} artikelkoppeling(en) verplaatst. Oude adressen en feeds verwijzen door.",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Onderwerpen samenvoegen",
            "topics": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/news/topic/merge.html", context)
