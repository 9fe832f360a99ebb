"""Feed formats on Django's feedgenerator: RSS 2.0 and Atom 1.0 with full content, JSON Feed 1.1.

Every text that goes into a feed passes through `xml_safe`, here, in one place.
"""

import json
import re
from html import unescape

from django.utils import feedgenerator
from django.utils.html import escape, strip_tags
from django.utils.xmlutils import SimplerXMLGenerator

# Characters XML 1.0 forbids even as references (control characters pasted from Word)
# and the two non-characters; a feed that contains one is not well-formed.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Served as plain XML: browsers show application/rss+xml and application/atom+xml as raw text
# (or download it) instead of applying the XSL stylesheet; feed readers sniff the format.
# `mime_type` is the format's own type, for autodiscovery links.
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
JSON_HTML_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def xml_safe(value):
    """Return `value` without the characters XML forbids; lists are cleaned item by item."""
    if isinstance(value, str):
        return XML_FORBIDDEN.sub("", value)
    if isinstance(value, (list, tuple)):
        return [xml_safe(item) for item in value]
    return value


class XmlSafeMixin:
    """Clean every text field of the feed and of its items on the way in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*xml_safe(args), **{k: xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*xml_safe(args), **{k: xml_safe(v) for k, v in kwargs.items()})


class RssFeed(XmlSafeMixin, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the full text in `content:encoded` and the update time in `atom:updated`."""

    content_type, mime_type = XML_CONTENT_TYPE, "application/rss+xml"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The channel's title and description too: a topic's name is typed by an editor.
        for key in ("title", "description"):
            self.feed[key] = escape(self.feed[key])

    def add_item(self, title, link, description, **kwargs):
        # Readers take an RSS item title for HTML: escape the plain text (Django's own default).
        super().add_item(escape(title), link, description, **kwargs)

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"]:
            # RSS 2.0 has no element for it; the Atom namespace is already declared.
            handler.addQuickElement("atom:updated", feedgenerator.rfc3339_date(item["updateddate"]))
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomFeed(XmlSafeMixin, feedgenerator.Atom1Feed):
    """Atom 1.0 with the full text in `content`, and the stylesheets RSS already gets."""

    content_type, mime_type = XML_CONTENT_TYPE, "application/atom+xml"

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class JsonFeed(XmlSafeMixin, feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); `description` is HTML, as for RSS."""

    content_type, mime_type = "application/feed+json; charset=utf-8", "application/feed+json"
    version = "https://jsonfeed.org/version/1.1"

    def write(self, outfile, encoding):
        # <, > and & as \u escapes, as in json_script: no "<script" in the raw text, even
        # for a client that sniffs it for HTML.
        text = json.dumps(self.as_dict(), ensure_ascii=False, indent=1)
        outfile.write(text.translate(JSON_HTML_ESCAPES))

    def as_dict(self):
        feed = self.feed
        return _compact(
            version=self.version,
            title=feed["title"],
            home_page_url=feed["link"],
            feed_url=feed["feed_url"],
            description=feed["description"],
            language=feed["language"],
            authors=_authors(feed),
            items=[self.item_dict(item) for item in self.items],
        )

    def item_dict(self, item):
        return _compact(
            id=item["unique_id"] or item["link"],
            url=item["link"],
            title=item["title"],
            summary=unescape(strip_tags(item["description"] or "")) or None,
            content_html=item.get("content") or item["description"],
            date_published=_date(item["pubdate"]),
            date_modified=_date(item["updateddate"]),
            authors=_authors(item),
            tags=list(item["categories"]) or None,
            attachments=[
                _compact(url=e.url, mime_type=e.mime_type, size_in_bytes=_int(e.length))
                for e in item["enclosures"]
            ]
            or None,
        )


def _compact(**fields):
    # JSON Feed leaves out what is unknown rather than writing null.
    return {key: value for key, value in fields.items() if value is not None}


def _authors(entry):
    if not entry["author_name"]:
        return None
    return [_compact(name=entry["author_name"], url=entry["author_link"])]


def _date(moment):
    return feedgenerator.rfc3339_date(moment) if moment else None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
