from .article import Article, PinnedArticle
from .vocabulary import Country, CountryTag, Topic, TopicTag

__all__ = ["Article", "Country", "CountryTag", "PinnedArticle", "Topic", "TopicTag"]
