"""Feed formats on Django's feedgenerator: RSS 2.0 and Atom 1.0 with full content, JSON Feed 1.1.

Every text that goes into a feed passes through `xml_safe`, here, in one place. Titles,
descriptions and categories are plain text, escaped once by the XML writer; an item's
`description` and `content` are HTML.
"""

import json
import re
from html import unescape

from django.utils import feedgenerator
from django.utils.html import strip_tags
from django.utils.xmlutils import SimplerXMLGenerator, UnserializableContentError

# Characters XML 1.0 forbids even as references (control characters pasted from Word)
# and the two non-characters; a feed that contains one is not well-formed.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
# Served as plain XML: browsers show it as text (application/rss+xml and
# application/atom+xml they may download instead); feed readers go by what is inside.
# `mime_type` is the format's own type, for autodiscovery links.
XML_CONTENT_TYPE = "application/xml; charset=utf-8"
JSON_HTML_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
# The RSS Best Practices Profile: "&" and "<" in text as hexadecimal references, which
# readers that guess whether an RSS text is HTML take for plain text.
RSS_TEXT_ESCAPES = {ord("&"): "&#x26;", ord("<"): "&#x3C;", ord(">"): "&gt;"}


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


class FeedXMLGenerator(SimplerXMLGenerator):
    """The XML writer, with comments; `text_escapes` replaces the usual &amp; &lt; &gt;."""

    text_escapes = None

    def characters(self, content):
        if not (self.text_escapes and content):
            return super().characters(content)
        if XML_FORBIDDEN.search(content):
            raise UnserializableContentError("Control characters are not supported in XML 1.0")
        self._finish_pending_start_element()
        self._write(content.translate(self.text_escapes))

    def comment(self, text):
        self._finish_pending_start_element()
        self._write(f"<!-- {text.replace('--', '- -')} -->\n")


class RssXMLGenerator(FeedXMLGenerator):
    """Plain text with hexadecimal references; the HTML of an item's description and
    content:encoded escaped as usual."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_elements = []

    def startElement(self, name, attrs):
        super().startElement(name, attrs)
        self.open_elements.append(name)
        html = name == "content:encoded" or self.open_elements[-2:] == ["item", "description"]
        self.text_escapes = None if html else RSS_TEXT_ESCAPES

    def endElement(self, name):
        super().endElement(name)
        self.open_elements.pop()


def write_notice(handler, feed):
    """Say what a feed is to whoever opens it in a browser, and where to learn how to follow it."""
    if feed.get("follow_url"):
        # Nothing an editor typed: a comment is not escaped.
        handler.comment(
            "Dit is een feed: de nieuwste artikelen, voor een feedlezer. "
            f"Zo volgt u hem: {feed['follow_url']}"
        )


class RssFeed(XmlSafeMixin, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the full text in `content:encoded`, the update time in `atom:updated`,
    and the site's icon as the channel's image."""

    name, content_type, mime_type = "RSS", XML_CONTENT_TYPE, "application/rss+xml"

    def write(self, outfile, encoding):
        handler = RssXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        write_notice(handler, self.feed)
        handler.startElement("rss", self.rss_attributes())
        handler.startElement("channel", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        self.endChannelElement(handler)
        handler.endElement("rss")

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        image = self.feed.get("image")
        if image:
            # With the channel's own title and link, as the RSS 2.0 specification asks.
            handler.startElement("image", {})
            handler.addQuickElement("url", image["url"])
            handler.addQuickElement("title", self.feed["title"])
            handler.addQuickElement("link", self.feed["link"])
            handler.addQuickElement("width", str(image["width"]))
            handler.addQuickElement("height", str(image["height"]))
            handler.endElement("image")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"]:
            # RSS 2.0 has no element for it; the Atom namespace is already declared.
            handler.addQuickElement("atom:updated", feedgenerator.rfc3339_date(item["updateddate"]))
        if item.get("content"):
            handler.addQuickElement("content:encoded", item["content"])


class AtomFeed(XmlSafeMixin, feedgenerator.Atom1Feed):
    """Atom 1.0 with the full text in `content`, and the site's icon and logo."""

    name, content_type, mime_type = "Atom", XML_CONTENT_TYPE, "application/atom+xml"

    def write(self, outfile, encoding):
        handler = FeedXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        write_notice(handler, self.feed)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("image"):
            handler.addQuickElement("icon", self.feed["image"]["url"])
        if self.feed.get("logo"):
            handler.addQuickElement("logo", self.feed["logo"])

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class JsonFeed(XmlSafeMixin, feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); `description` is HTML, as for RSS."""

    name = "JSON Feed"
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
            # JSON Feed's place for what a person opening the file should know.
            user_comment=f"Zo volgt u deze feed: {feed['follow_url']}"
            if feed.get("follow_url")
            else None,
            home_page_url=feed["link"],
            feed_url=feed["feed_url"],
            description=feed["description"],
            icon=feed.get("icon"),
            favicon=feed["image"]["url"] if feed.get("image") else None,
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
            image=item.get("image"),
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


FORMATS = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}


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
