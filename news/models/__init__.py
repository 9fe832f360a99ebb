from .article import Article, PinnedArticle
from .revision import Revision
from .vocabulary import Country, CountryTag, Topic, TopicAlias, TopicTag

__all__ = [
    "Article",
    "Country",
    "CountryTag",
    "PinnedArticle",
    "Revision",
    "Topic",
    "TopicAlias",
    "TopicTag",
]
