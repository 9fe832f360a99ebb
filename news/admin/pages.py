from django import forms
from django.contrib import admin

from ..models import Page
from .forms import clean_markdown
from .hardening import HardenedAdminMixin


class PageForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["title", "slug", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}

    def clean_body(self):
        return clean_markdown(self.cleaned_data.get("body", ""))


@admin.register(Page)
class PageAdmin(HardenedAdminMixin, admin.ModelAdmin):
    """Over ons, Colofon, Contact, Privacy: edited by final editors (the migration's roles)."""

    form = PageForm
    list_display = ["title", "url", "updated_at"]
    search_fields = ["title", "body"]
    prepopulated_fields = {"slug": ["title"]}

    def get_readonly_fields(self, request, obj=None):
        # Links to a page (the footer's among them) keep working: its address stays.
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    @admin.display(description="webadres")
    def url(self, page):
        return page.get_absolute_url()
