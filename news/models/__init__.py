from .article import Article, PinnedArticle
from .page import Page
from .revision import Revision
from .vocabulary import Country, CountryTag, Topic, TopicAlias, TopicTag

__all__ = [
    "Article",
    "Country",
    "CountryTag",
    "Page",
    "PinnedArticle",
    "Revision",
    "Topic",
    "TopicAlias",
    "TopicTag",
]
