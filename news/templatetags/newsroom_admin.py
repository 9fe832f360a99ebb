"""The article form's presence notice and review panel, and the queue on the admin index."""

from django import template
from django.conf import settings
from django.urls import reverse

from .. import newsroom, presence
from ..admin.review import QUEUE, RETURNED, review_of
from ..models import Article, Review
from ..querysets import State

register = template.Library()


@register.inclusion_tag("admin/news/article/presence.html", takes_context=True)
def presence_notice(context):
    """Who else has this article open; presence.js keeps it up to date."""
    article, user = context.get("original"), context["request"].user
    if article is None or article.pk is None:
        return {"article": None}
    return {
        "article": article,
        "others": presence.others(article, user),
        "url": reverse("admin:news_article_presence", args=[article.pk]),
        "interval": settings.PRESENCE_HEARTBEAT_SECONDS,
    }


@register.inclusion_tag("admin/news/article/review_notice.html", takes_context=True)
def review_notice(context):
    """Above the form: submitted for review, or sent back, by whom, when, with the note."""
    return {"review": review_of(context.get("original"))}


@register.inclusion_tag("admin/news/article/review_panel.html", takes_context=True)
def review_panel(context):
    """Below the buttons: "Klaar voor eindredactie" for a writer, "Terugsturen" for a final
    editor while the draft waits for her. Nothing for what is live, or read only."""
    article, user = context.get("original") or Article(), context["request"].user
    adminform = context.get("adminform")
    if adminform is None or article.status != State.DRAFT or not newsroom.may_edit(user, article):
        return {"step": None}
    review = review_of(article)
    if not newsroom.can_publish(user):
        step = "submit"
    elif review is not None and review.state == Review.State.SUBMITTED:
        step = "send_back"
    else:
        step = None
    return {"step": step, "field": adminform.form["review_note"], "review": review}


@register.inclusion_tag("admin/news/review_queue.html", takes_context=True)
def review_queue(context):
    """On the admin index: how many drafts wait for a final editor, or were sent back."""
    user = context["request"].user
    if not user.has_perm("news.view_article"):
        return {}
    changelist = reverse("admin:news_article_changelist")
    if newsroom.can_publish(user):
        return {
            "final_editor": True,
            "waiting": newsroom.review_queue().count(),
            "queue_url": f"{changelist}?eindredactie={QUEUE}",
        }
    return {
        "returned": Review.objects.filter(state=Review.State.RETURNED).count(),
        "returned_url": f"{changelist}?eindredactie={RETURNED}",
    }
