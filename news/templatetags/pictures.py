"""Responsive lead images: <picture> with WebP and JPEG srcsets, from the library image."""

from django import template

register = template.Library()


@register.inclusion_tag("news/includes/picture.html")
def picture(article, kind, sizes, alt="", eager=False, css_class="", max_width=None):
    """Render the `kind` renditions ("full" or "crop") of `article`'s lead image; nothing
    without one. While its renditions are being made, the cleaned original.

    `eager` is for the one image a reader sees first: loaded at once, with high priority.
    `max_width` keeps wider renditions out of the srcset of a small slot.
    """
    image = article.lead_image if article.lead_image_id else None
    return {
        "picture": image.picture(kind, max_width) if image else None,
        "sizes": sizes,
        "alt": alt,
        "eager": eager,
        "css_class": css_class,
    }
