from django import template

from ..search import wanted_terms
from ..snippets import snippet

register = template.Library()


@register.simple_tag
def search_snippet(article, query):
    """Render the excerpt of `article` around the words of `query`, marked."""
    return snippet(article, wanted_terms(query))
