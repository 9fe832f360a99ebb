from django import template

from .. import text
from ..feedgenerators import xml_safe as _xml_safe

register = template.Library()


@register.filter
def teaser(value):
    """Cut a lead to a "Lees meer" teaser."""
    return text.teaser(value)


@register.filter
def by_name(tags):
    """Sort prefetched tags by name (databases return them in different orders)."""
    return sorted(tags, key=lambda tag: tag.name.lower())


@register.filter
def xml_safe(value):
    """Drop the characters XML forbids (control characters pasted into a title)."""
    return _xml_safe(str(value))
