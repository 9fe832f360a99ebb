from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from .. import images, revisions
from ..models import Article, PinnedArticle, Revision
from ..text import date_line
from .forms import ArticleAdminForm
from .hardening import HardenedAdminMixin, SafeAutocompleteMixin
from .paginator import EstimatedCountPaginator

PUBLISH_FIELDS = ["status", "published_at", "unpublish_at"]
STATES = {
    "concept": "Concept",
    "gepland": "Gepland",
    "gepubliceerd": "Gepubliceerd",
    "verlopen": "Verlopen",
}


def can_publish(user):
    return user.has_perm("news.publish_article")


def articles_count(n):
    return f"{n} artikel" if n == 1 else f"{n} artikelen"


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "staat"

    def lookups(self, request, model_admin):
        return list(STATES.items())

    def queryset(self, request, queryset):
        return {
            "concept": queryset.drafts,
            "gepland": queryset.scheduled,
            "gepubliceerd": queryset.published,
            "verlopen": queryset.expired,
        }.get(self.value(), queryset.all)()


class PinnedArticleFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The table heads its columns; screen readers need a name on each box as well.
        form.fields["position"].widget.attrs["aria-label"] = "Volgorde"
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = "Verwijderen"


class PinnedArticleInline(SafeAutocompleteMixin, admin.TabularInline):
    model = PinnedArticle
    formset = PinnedArticleFormSet
    fk_name = "article"
    autocomplete_fields = ["pinned"]
    extra = 0
    verbose_name = "vast artikel bij 'Lees meer'"
    verbose_name_plural = (
        "Lees meer: vaste artikelen (in deze volgorde, aangevuld met verwante artikelen)"
    )


@admin.register(Article)
class ArticleAdmin(HardenedAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "thumbnail",
        "title",
        "state_badge",
        "published_at",
        "country",
        "country_list",
        "topic_list",
    ]
    list_display_links = ["title"]
    list_filter = [StateFilter, "published_at", ("country", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "lead"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["country"]
    autocomplete_fields = ["country"]
    inlines = [PinnedArticleInline]
    actions = ["publish_now", "unpublish"]
    # With 100,000 articles, counting them all on every page view is what makes lists slow.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    fieldsets = [
        (None, {"fields": ["title", "lead", "body"]}),
        ("Afbeelding", {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (
            "Publicatie",
            {
                "fields": [
                    "status",
                    "published_at",
                    "unpublish_at",
                    "country",
                    "countries",
                    "topics",
                ]
            },
        ),
        (
            "Details",
            {"classes": ["collapse"], "fields": ["slug", "byline", "source", "opened_version"]},
        ),
    ]

    class Media:
        css = {"all": ["admin/news.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries", "topics")

    # --- Who may do what -------------------------------------------------

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        # A writer edits drafts; what is live or scheduled is the final editor's.
        if obj is not None and obj.status == Article.Status.PUBLISHED:
            if not can_publish(request.user):
                return False
        return super().has_change_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if can_publish(request.user) else PUBLISH_FIELDS

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.can_publish = can_publish(request.user)
        return form

    # --- Saving ------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        revisions.record(form.instance, request.user)

    def delete_model(self, request, obj):
        revisions.record(obj, request.user, note="Verwijderd")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            revisions.record(article, request.user, note="Verwijderd")
        super().delete_queryset(request, queryset)

    # --- The list ------------------------------------------------------------

    @admin.display(description="afbeelding")
    def thumbnail(self, article):
        # A rendition listed with the article: no file is opened, no query made.
        rendition = images.thumbnail(article.image_renditions)
        if not rendition:
            return ""
        return format_html(
            '<img class="list-thumbnail" src="{}" width="80" height="45" alt="" loading="lazy">',
            images.url(rendition),
        )

    @admin.display(description="status", ordering="status")
    def state_badge(self, article):
        state = article.state
        label = STATES[state]
        if state == "gepland":
            label = f"Gepland: {date_line(article.published_at)}"
        return format_html('<span class="badge badge-{}">{}</span>', state, label)

    @admin.display(description="landen")
    def country_list(self, article):
        # Prefetched tags: .names() would query once per row.
        return ", ".join(sorted(c.name for c in article.countries.all()))

    @admin.display(description="onderwerpen")
    def topic_list(self, article):
        return ", ".join(sorted(t.name for t in article.topics.all()))

    # --- Bulk actions ----------------------------------------------------------

    @admin.action(description="Nu publiceren", permissions=["publish"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        changed = 0
        with transaction.atomic():
            for article in queryset.exclude(pk__in=queryset.published(now).values("pk")):
                article.status = Article.Status.PUBLISHED
                if article.published_at is None or article.published_at > now:
                    article.published_at = now
                if article.unpublish_at and article.unpublish_at <= now:
                    article.unpublish_at = None
                article.updated_by = request.user
                article.save()
                revisions.record(article, request.user, note="Gepubliceerd")
                changed += 1
        self.message_user(request, f"{articles_count(changed)} gepubliceerd.", messages.SUCCESS)

    @admin.action(description="Depubliceren (terug naar concept)", permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = 0
        with transaction.atomic():
            for article in queryset.filter(status=Article.Status.PUBLISHED):
                article.status = Article.Status.DRAFT
                article.updated_by = request.user
                article.save()
                revisions.record(article, request.user, note="Gedepubliceerd")
                changed += 1
        self.message_user(
            request, f"{articles_count(changed)} teruggezet naar concept.", messages.SUCCESS
        )

    # --- Revisions -------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("verwijderd/", view(self.deleted_view), name="news_article_deleted"),
            path(
                "<int:article_id>/revisies/",
                view(self.revisions_view),
                name="news_article_revisions",
            ),
            path(
                "<int:article_id>/revisies/<int:revision_id>/herstellen/",
                view(self.restore_view),
                name="news_article_restore",
            ),
            *super().get_urls(),
        ]

    def revisions_view(self, request, article_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        history = list(Revision.objects.filter(article_id=article_id).select_related("user"))
        if not history:
            return redirect("admin:news_article_changelist")
        compare = None
        chosen = [r for r in history if str(r.pk) in request.GET.getlist("revisie")]
        if len(chosen) == 2:
            new, old = chosen  # newest first
            compare = {"old": old, "new": new, "changes": revisions.changes(old, new)}
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revisies van “{history[0].title}”",
            "article": Article.objects.filter(pk=article_id).first(),
            "article_id": article_id,
            "history": history,
            "compare": compare,
            "can_restore": self.has_add_permission(request) and self.has_change_permission(request),
        }
        return TemplateResponse(request, "admin/news/article/revisions.html", context)

    def restore_view(self, request, article_id, revision_id):
        revision = get_object_or_404(Revision, pk=revision_id, article_id=article_id)
        if request.method != "POST":
            return redirect("admin:news_article_revisions", article_id=article_id)
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        if revision.data.get("status") == Article.Status.PUBLISHED and not can_publish(
            request.user
        ):
            self.message_user(
                request,
                "Deze revisie is gepubliceerd; alleen een eindredacteur kan haar terugzetten.",
                messages.ERROR,
            )
            return redirect("admin:news_article_revisions", article_id=article_id)
        article = revisions.restore(revision, request.user)
        self.log_change(request, article, "Revisie teruggezet")
        self.message_user(request, "De revisie is teruggezet.", messages.SUCCESS)
        if article.image_kept:
            self.message_user(
                request,
                "De afbeelding is niet teruggezet: die revisie had er geen, of haar afbeelding "
                "bestaat niet meer. De huidige afbeelding is gebleven.",
                messages.WARNING,
            )
        return redirect(reverse("admin:news_article_change", args=[article.pk]))

    def deleted_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        deleted = (
            Revision.objects.exclude(article_id__in=Article.objects.values("pk"))
            .select_related("user")
            .order_by("article_id", "-created_at", "-pk")
        )
        latest = {}
        for revision in deleted:
            latest.setdefault(revision.article_id, revision)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Verwijderde artikelen",
            "deleted": sorted(latest.values(), key=lambda r: r.created_at, reverse=True),
        }
        return TemplateResponse(request, "admin/news/article/deleted.html", context)
