from .article import Article, PinnedArticle
from .autosave import AutosavedDraft
from .library import Image
from .page import Page
from .presence import Presence
from .review import Review
from .revision import Revision
from .vocabulary import Country, CountryTag, Topic, TopicAlias, TopicTag

__all__ = [
    "Article",
    "AutosavedDraft",
    "Country",
    "CountryTag",
    "Image",
    "Page",
    "PinnedArticle",
    "Presence",
    "Review",
    "Revision",
    "Topic",
    "TopicAlias",
    "TopicTag",
]
