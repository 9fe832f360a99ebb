"""Responsive lead images: <picture> with WebP and JPEG srcsets, from the stored renditions."""

from django import template

from .. import images

register = template.Library()


@register.inclusion_tag("news/includes/picture.html")
def picture(article, kind, sizes, alt="", eager=False, css_class="", max_width=None):
    """Render the `kind` renditions ("full" or "crop") of `article`'s image; nothing without one.

    `eager` is for the one image a reader sees first: loaded at once, with high priority.
    `max_width` keeps wider renditions out of the srcset of a small slot.
    """
    return {
        "picture": images.picture(article.image_renditions, kind, max_width),
        "sizes": sizes,
        "alt": alt,
        "eager": eager,
        "css_class": css_class,
    }
