from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Article, Country, Topic
from .related import lees_meer


class PublishedArticlesMixin:
    """Published articles, newest first, with what their teasers show."""

    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_listing().newest_first()


class FrontPageView(PublishedArticlesMixin, ListView):
    template_name = "news/front_page.html"


class TaggedArticlesView(PublishedArticlesMixin, ListView):
    """Articles of one country or topic; `tag_model` and `manager` say which."""

    tag_model = None
    manager = None

    def get_queryset(self):
        self.tag = get_object_or_404(self.tag_model, slug=self.kwargs["slug"])
        return super().get_queryset().filter(**{self.manager: self.tag})

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class CountryView(TaggedArticlesView):
    tag_model = Country
    manager = "countries"
    template_name = "news/tag_detail.html"


class TopicView(TaggedArticlesView):
    tag_model = Topic
    manager = "topics"
    template_name = "news/tag_detail.html"


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.published().for_listing()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.kwargs.get("slug") != self.object.slug:
            return HttpResponsePermanentRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        return super().get_context_data(lees_meer=lees_meer(self.object), **kwargs)
