from copy import copy

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from .. import autosave, newsroom, presence, revisions
from ..models import Article, PinnedArticle, Revision
from ..querysets import State
from ..text import date_line, date_time
from .forms import ArticleAdminForm, LeadImageSelect
from .hardening import HardenedAdminMixin, SafeAutocompleteMixin
from .library import list_thumbnail
from .live_preview import SEO_FIELDSET, LivePreviewMixin
from .paginator import EstimatedCountPaginator
from .presence import heartbeat_view
from .review import ReviewFilter, list_notes
from .review import announce as announce_review

PUBLISH_FIELDS = list(newsroom.PUBLICATION_FIELDS)
# The article form's upload into the library (forms.LeadImageUploadMixin).
UPLOAD_FIELDS = ["image", "image_alt", "image_caption", "image_credit"]


def may_upload(request):
    """Return whether the editor may add images to the library (from the article form too)."""
    return request.user.has_perm("news.add_image")


def articles_count(n):
    return f"{n} artikel" if n == 1 else f"{n} artikelen"


class StateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "staat"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        if self.value() in State.values:
            return queryset.in_state(self.value())
        return queryset


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
class ArticleAdmin(LivePreviewMixin, HardenedAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "thumbnail",
        "title",
        "state_badge",
        "published",
        # The place is always one of the countries: no column of its own.
        "country_list",
        "topic_list",
    ]
    list_display_links = ["title"]
    list_filter = [
        StateFilter,
        ReviewFilter,
        "published_at",
        ("country", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "lead"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["country", "review", "lead_image"]
    autocomplete_fields = ["country", "lead_image"]
    inlines = [PinnedArticleInline]
    actions = ["publish_now", "unpublish"]
    # With 100,000 articles, counting them all on every page view is what makes lists slow.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    fieldsets = [
        (None, {"fields": ["title", "lead", "body"]}),
        # With the fields of an upload into the library, for who may upload (get_fieldsets).
        ("Afbeelding", {"fields": ["lead_image"]}),
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
        # With the article as a search result and as a shared link (LivePreviewMixin).
        (SEO_FIELDSET, {"classes": ["seo-fields"], "fields": ["seo_title", "seo_description"]}),
        (
            "Details",
            {
                "classes": ["collapse"],
                "fields": ["slug", "byline", "source", "opened_version", "conflict_base"],
            },
        ),
    ]

    class Media:
        css = {"all": ["admin/news.css"]}
        js = ["admin/autosave.js", "admin/writing-aid.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("countries", "topics")

    # --- Who may do what -------------------------------------------------

    def has_publish_permission(self, request):
        return newsroom.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # A writer edits drafts; what is live or scheduled is the final editor's. Her form
        # sent after the article went live still reaches the form, which refuses it with
        # the conflict message and keeps her text, instead of a bare 403.
        return obj is None or newsroom.may_edit(request.user, obj) or self._posting_form(request)

    @staticmethod
    def _posting_form(request):
        return request.method == "POST" and getattr(request, "news_article_form", False)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # Before the flag below: no autosave for a writer whose draft has gone live.
        extra_context = {**(extra_context or {}), **autosave.context(self, request, object_id)}
        request.news_article_form = True
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        return [] if newsroom.can_publish(request.user) else PUBLISH_FIELDS

    def get_form(self, request, obj=None, **kwargs):
        if not newsroom.can_publish(request.user):
            # Read-only for a writer: help on how to set the dates would only confuse.
            kwargs["help_texts"] = {
                "status": "Publiceren, inplannen en depubliceren doet de eindredactie.",
                "published_at": "",
                "unpublish_at": "",
            }
        form = super().get_form(request, obj, **kwargs)
        form.can_publish = newsroom.can_publish(request.user)
        form.may_upload = may_upload(request)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not may_upload(request):
            return fieldsets
        return [
            (name, {**options, "fields": [*options["fields"], *UPLOAD_FIELDS]})
            if "lead_image" in options["fields"]
            else (name, options)
            for name, options in fieldsets
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_image":
            kwargs["widget"] = LeadImageSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- Saving: every write is a newsroom operation ------------------------------

    def save_model(self, request, obj, form, change):
        """Saved in save_related, with its tags and pins, as one newsroom operation."""

    def save_related(self, request, form, formsets, change):
        write_relations = super().save_related
        form.save_upload(request.user)  # a new upload becomes a library image and the lead
        newsroom.save(
            form.instance,
            request.user,
            relations=lambda article: write_relations(request, form, formsets, change),
            review=form.review,  # "Klaar voor eindredactie" or "Terugsturen naar redacteur"
        )
        announce_review(self, request, form)
        autosave.clear(request.user, form.instance, added=not change)

    def delete_model(self, request, obj):
        newsroom.delete([obj], request.user)

    def delete_queryset(self, request, queryset):
        newsroom.delete(queryset, request.user)

    # --- Where the editor goes next -----------------------------------------------

    def view_on_site(self, article):
        # Readers get a 404 for a draft or a scheduled article: show the editor the preview.
        if article.is_published:
            return article.get_absolute_url()
        return reverse("news:article_preview", args=[article.pk])

    def response_post_save_add(self, request, obj):
        return self._after_save(request, obj) or super().response_post_save_add(request, obj)

    def response_post_save_change(self, request, obj):
        return self._after_save(request, obj) or super().response_post_save_change(request, obj)

    def _after_save(self, request, article):
        """Open the form again if the list the editor came from would not show the article
        (a list of drafts after publishing it); None to go back to that list."""
        filters = QueryDict(self.get_preserved_filters(request)).get("_changelist_filters")
        if not filters:
            return None
        listed = copy(request)
        listed.GET = QueryDict(filters)
        try:
            changelist = self.get_changelist_instance(listed)
            shown = changelist.get_queryset(listed).filter(pk=article.pk).exists()
        except Exception:  # a hand-made filter the list itself would refuse
            shown = False
        if shown:
            return None
        return redirect(reverse("admin:news_article_change", args=[article.pk]))

    # --- The list ------------------------------------------------------------

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Who else has each listed article open, in one query; the list shows them.
        presence.attach(changelist.result_list, request.user)
        return changelist

    @admin.display(description="afbeelding")
    def thumbnail(self, article):
        # Listed with the article (list_select_related): no file is opened, no query made.
        return list_thumbnail(article.lead_image if article.lead_image_id else None)

    @admin.display(description="status", ordering="status")
    def state_badge(self, article):
        state = article.state
        label = state.label
        if state == State.SCHEDULED:
            label = f"{label}: {date_line(article.published_at)}"
        badge = format_html('<span class="badge badge-{}">{}</span>', state.value, label)
        return badge + list_notes(article)  # review state, and who has it open

    @admin.display(description="publicatiedatum", ordering="published_at")
    def published(self, article):
        # Short, so that the countries and topics fit beside it at 1280 px.
        if article.published_at is None:
            return ""
        return date_format(timezone.localtime(article.published_at), "j-n-Y H:i")

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
        changed = newsroom.publish(queryset, request.user)
        self.message_user(request, f"{articles_count(changed)} gepubliceerd.", messages.SUCCESS)

    @admin.action(description="Depubliceren (terug naar concept)", permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = newsroom.unpublish(queryset, request.user)
        self.message_user(
            request, f"{articles_count(changed)} teruggezet naar concept.", messages.SUCCESS
        )

    # --- Revisions -------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            *autosave.urls(self),
            path(
                "<int:article_id>/aanwezig/",
                view(heartbeat_view(self)),
                name="news_article_presence",
            ),
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
        article = Article.objects.filter(pk=article_id).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revisies van “{history[0].title}”",
            "article": article,
            "article_id": article_id,
            "history": history,
            "compare": compare,
            "can_restore": self._restore_refusal(request, article) is None,
        }
        return TemplateResponse(request, "admin/news/article/revisions.html", context)

    def _restore_refusal(self, request, article):
        """Return why `request.user` may not restore a revision of `article`, or None."""
        try:
            newsroom.check_restore(request.user, article)
        except newsroom.NotAllowed as refusal:
            return str(refusal)
        return None

    def restore_view(self, request, article_id, revision_id):
        """Ask for confirmation, saying what happens to the publication; then restore."""
        revision = get_object_or_404(Revision.objects.select_related("user"), pk=revision_id,
                                     article_id=article_id)  # fmt: skip
        article = Article.objects.filter(pk=article_id).first()
        refusal = self._restore_refusal(request, article)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect("admin:news_article_revisions", article_id=article_id)
        publication = newsroom.publication_change(revision, article)
        may_publish = newsroom.can_publish(request.user)
        if request.method == "POST":
            with_publication = "publicatie" in request.POST
            try:
                article = newsroom.restore(
                    revision, request.user, with_publication=with_publication
                )
            except newsroom.NotAllowed as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                return redirect("admin:news_article_revisions", article_id=article_id)
            self.log_change(request, article, "Revisie teruggezet")
            self.message_user(request, "De revisie is teruggezet.", messages.SUCCESS)
            if article.image_kept:
                self.message_user(
                    request,
                    "De afbeelding is niet teruggezet: de afbeelding van die revisie staat niet "
                    "meer in de mediabibliotheek. De huidige afbeelding is gebleven.",
                    messages.WARNING,
                )
            return redirect(reverse("admin:news_article_change", args=[article.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Revisie terugzetten",
            "article": article,
            "article_id": article_id,
            "revision": revision,
            "saved_at": date_time(revision.created_at),
            "current_state": article.state if article else None,
            "publication": publication,
            "may_publish": may_publish,
        }
        return TemplateResponse(request, "admin/news/article/restore.html", context)

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
