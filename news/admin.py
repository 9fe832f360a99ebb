from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db.models import Count
from django.utils import timezone
from taggit.models import Tag

from .models import Article, Country, PinnedArticle, Topic


class ArticleAdminForm(forms.ModelForm):
    # A closed list: an editor picks "Marokko", and cannot type "Marroko".
    countries = forms.ModelMultipleChoiceField(
        Country.objects.all(),
        required=False,
        label="Landen",
        widget=FilteredSelectMultiple("landen", is_stacked=False),
        help_text="Typ in het zoekveld om een land te vinden en kies het met de pijl.",
    )

    class Meta:
        model = Article
        fields = "__all__"
        widgets = {
            "lead": forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
            "body": forms.Textarea(attrs={"rows": 20, "class": "vLargeTextField"}),
        }


class PinnedArticleInline(admin.TabularInline):
    model = PinnedArticle
    fk_name = "article"
    autocomplete_fields = ["pinned"]
    extra = 0
    verbose_name = "vast artikel bij 'Lees meer'"
    verbose_name_plural = "Lees meer: vaste artikelen (in deze volgorde, aangevuld met verwante artikelen)"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "status_label", "published_at", "country", "country_list", "topic_list"]
    list_filter = ["status", "published_at", ("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    inlines = [PinnedArticleInline]
    fieldsets = [
        (None, {"fields": ["title", "lead", "body"]}),
        ("Publicatie", {"fields": ["status", "published_at", "country", "countries", "topics"]}),
        ("Details", {"classes": ["collapse"], "fields": ["slug", "byline", "source"]}),
    ]

    class Media:
        css = {"all": ["admin/news.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries", "topics")

    @admin.display(description="status", ordering="status")
    def status_label(self, article):
        if article.status != Article.Status.PUBLISHED:
            return "Concept"
        if article.published_at and article.published_at > timezone.now():
            return "Gepland"
        return "Gepubliceerd"

    @admin.display(description="landen")
    def country_list(self, article):
        # Prefetched tags: .names() would query once per row.
        return ", ".join(sorted(c.name for c in article.countries.all()))

    @admin.display(description="onderwerpen")
    def topic_list(self, article):
        return ", ".join(sorted(t.name for t in article.topics.all()))


# Our vocabularies have their own tables; taggit's generic tags are unused.
admin.site.unregister(Tag)


class VocabularyAdmin(admin.ModelAdmin):
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


@admin.register(Topic)
class TopicAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "article_count"]
    prepopulated_fields = {"slug": ["name"]}
