"""Markdown written by editors, rendered once to HTML that is safe to show."""

import multiprocessing
import os

import markdown
import nh3

# An article's text is far shorter; the limit keeps a paste of a whole book out.
MAX_LENGTH = 100_000
# Some Markdown ("![" thousands of times) makes python-markdown work for minutes.
RENDER_SECONDS = 2.0

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "s", "sub", "sup",
    "ul", "ol", "li", "blockquote", "a", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text):
    """Return sanitized HTML for the Markdown `text`."""
    html = markdown.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    return sanitize(html)


def sanitize(html):
    """Return `html` with everything but the allowed tags, attributes and schemes taken out."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


class TooSlow(Exception):
    """The Markdown took longer than its time budget to render."""


def render_within(text, seconds=RENDER_SECONDS):
    """Return render_markdown(text), rendered in a child process stopped after `seconds`.

    A thread cannot be stopped; a process can, so no text can hold a worker for minutes.
    """
    context = multiprocessing.get_context("fork")  # cheap, and the child needs no imports
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_render_into, args=(text, send), daemon=True)
    child.start()
    send.close()
    try:
        if receive.poll(seconds):
            return receive.recv()
        raise TooSlow
    except EOFError as error:  # the child died without an answer
        raise TooSlow from error
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()


def _render_into(text, send):
    try:
        send.send(render_markdown(text))
    finally:
        # Leave at once: nothing of the parent's (database connections) is to be closed here.
        os._exit(0)
