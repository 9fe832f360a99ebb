"""Embeds: which links become a placeholder, what it loads (nothing), and what stays refused."""

import pytest
from django.conf import settings

from news import embeds
from news.body import for_feed, render_body
from news.markup import render_markdown

from .conftest import make_article

VIDEO = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "player"),
    [
        (f"https://www.youtube.com/watch?v={VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://youtube.com/watch?feature=share&v={VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://m.youtube.com/watch?v={VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://youtu.be/{VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        (f"https://www.youtube.com/shorts/{VIDEO}", f"https://www.youtube-nocookie.com/embed/{VIDEO}"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://player.vimeo.com/video/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)  # fmt: skip
def test_video_urls_become_players_on_the_allowed_origins(url, player):
    embed = embeds.parse(url)
    assert embed.player.startswith(player + "?")
    assert embed.player.startswith(embeds.FRAME_ORIGINS)


def test_a_start_time_is_kept_and_an_unlisted_vimeo_key_passed_on():
    assert "start=90" in embeds.parse(f"https://youtu.be/{VIDEO}?t=1m30s").player
    assert "start=42" in embeds.parse(f"https://www.youtube.com/watch?v={VIDEO}&t=42").player
    vimeo = embeds.parse("https://vimeo.com/76979871/abcdef1234")
    assert vimeo.player.endswith("&h=abcdef1234")


@pytest.mark.parametrize(
    ("url", "service"),
    [
        ("https://x.com/NOS/status/1234567890123", "x"),
        ("https://twitter.com/NOS/status/1234567890123", "x"),
        ("https://www.instagram.com/p/C1a2B3c4D5e/", "instagram"),
        ("https://bsky.app/profile/nos.nl/post/3kabc2xyz7d2a", "bluesky"),
        ("https://mastodon.social/@Gargron/110000000000000000", "mastodon"),
    ],
)
def test_social_posts_become_link_cards(url, service):
    embed = embeds.parse(url)
    assert (embed.service, embed.player) == (service, None)
    html = render_body(url)
    assert f'<figure class="embed embed-card embed-{service}">' in html
    assert "<iframe" not in html and "<script" not in html


@pytest.mark.parametrize(
    "url",
    [
        f"http://www.youtube.com/watch?v={VIDEO}",  # not https
        f"javascript://www.youtube.com/watch?v={VIDEO}",
        f"data:text/html,https://youtu.be/{VIDEO}",
        f"https://youtube.com.evil.example/watch?v={VIDEO}",  # look-alike hosts
        f"https://www.youtube.com@evil.example/watch?v={VIDEO}",
        f"https://evil.example/?https://youtu.be/{VIDEO}",
        f"https://wwwyoutube.com/watch?v={VIDEO}",
        f"https://youtu.be.evil.example/{VIDEO}",
        f"https://www.youtube.com:8443/watch?v={VIDEO}",
        f"https://www.youtube.com/watch?v={VIDEO}x",  # ids by their exact pattern
        'https://www.youtube.com/watch?v=dQw4w9"><x',
        f"https://www.youtube.com/embed/{VIDEO}/../../evil",
        "https://vimeo.com/channels/staffpicks",
        "https://vimeo.com.evil.example/76979871",
        "https://x.com/i/status/123",
        "https://mastodon.evil.example/@Gargron/110000000000000000",
        " https://youtu.be/dQw4w9WgXcQ",
    ],
)
def test_look_alikes_and_other_schemes_are_no_embeds(url):
    assert embeds.parse(url) is None


@pytest.mark.parametrize(
    "line",
    [
        f"[Kijk](javascript:alert(1)//youtu.be/{VIDEO})",
        f"[Kijk](http://youtu.be/{VIDEO})",
        f"[Kijk](data:text/html;base64,PHNjcmlwdD4=#youtu.be/{VIDEO})",
        f"[Kijk](https://youtube.com.evil.example/watch?v={VIDEO})",
        f"javascript:alert(1)//https://youtu.be/{VIDEO}",
    ],
)
def test_a_refused_link_alone_on_a_line_stays_text_or_a_plain_link(line):
    html = render_body(line)
    assert "embed" not in html
    assert "javascript:" not in html.replace(f"javascript:alert(1)//https://youtu.be/{VIDEO}", "")
    assert "data:" not in html


def test_the_placeholder_loads_nothing_and_works_as_a_plain_link():
    html = render_body(f"Tekst.\n\n[Het debat](https://www.youtube.com/watch?v={VIDEO})\n\nMeer.")
    assert html.startswith("<p>Tekst.</p>")
    assert '<figure class="embed embed-youtube"' in html
    assert f'data-embed-src="https://www.youtube-nocookie.com/embed/{VIDEO}?autoplay=1"' in html
    assert f'<a class="embed-link" href="https://www.youtube.com/watch?v={VIDEO}"' in html
    assert '<span class="embed-title">Het debat</span>' in html
    assert "Bekijk op YouTube" in html
    # Nothing that a browser fetches from elsewhere: no frame, no thumbnail, no script.
    for loaded in ("<iframe", "<img", "<script", "ytimg", " src="):
        assert loaded not in html
    assert html.endswith("<p>Meer.</p>")


def test_a_bare_url_gets_the_services_own_title():
    html = render_body(f"https://youtu.be/{VIDEO}")
    assert '<span class="embed-title">Video op YouTube</span>' in html
    assert "Video op Vimeo" in render_body("<https://vimeo.com/76979871>")


def test_a_url_inside_a_sentence_or_a_list_is_no_embed():
    assert "embed" not in render_body(f"Zie https://youtu.be/{VIDEO} voor de video.")
    assert "embed" not in render_body(f"- https://youtu.be/{VIDEO}")
    assert "embed" not in render_body(f"    https://youtu.be/{VIDEO}")  # code


def test_the_title_is_plain_text_escaped_once():
    html = render_body(f'[<b>Debat</b> & "meer" 1 &lt; 2](https://youtu.be/{VIDEO})')
    assert "<b>" not in html and "&amp;amp;" not in html and "&amp;lt;" not in html
    assert 'data-embed-title="Debat &amp; &quot;meer&quot; 1 &lt; 2"' in html
    assert '<span class="embed-title">Debat &amp; &quot;meer&quot; 1 &lt; 2</span>' in html


def test_feeds_get_a_plain_link():
    html = for_feed(render_body(f"[Het debat](https://youtu.be/{VIDEO})"), "https://nieuws.test/")
    link = f'<a href="https://www.youtube.com/watch?v={VIDEO}">Het debat (bekijk op YouTube)</a>'
    assert html == f"<p>{link}</p>"


# --- The sanitizer stays as strict ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '<img src="https://evil.example/x.png" onerror="alert(1)">',
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe>',
        "<script>alert(1)</script>",
        '<p style="position:fixed" onclick="alert(1)">tekst</p>',
        '<figure class="embed" data-embed-src="https://evil.example/"><a href="#">x</a></figure>',
        "![foto](https://evil.example/x.png)",
        "[klik](javascript:alert(1))",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_the_sanitizer_still_refuses_outside_markup(text):
    for html in (render_markdown(text), render_body(text)):
        for refused in ("<img", "<iframe", "<script", "<svg", "onerror", "onclick", "onload"):
            assert refused not in html
        for refused in ("style=", "javascript:", "data:", "data-embed-src", 'class="'):
            assert refused not in html


@pytest.mark.django_db
def test_an_article_page_shows_the_placeholder_and_its_script(client):
    article = make_article(body=f"https://www.youtube.com/watch?v={VIDEO}")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<figure class="embed embed-youtube"' in html
    assert "js/embeds.js" in html
    plain = make_article(body="Alleen tekst.")
    assert "js/embeds.js" not in client.get(plain.get_absolute_url()).content.decode()


# --- The Content Security Policy ------------------------------------------------------


def frame_sources(response):
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives.get("frame-src", "").split()


@pytest.mark.django_db
def test_the_policy_allows_exactly_the_players_as_frames(client):
    article = make_article(body=f"https://youtu.be/{VIDEO}")
    response = client.get(article.get_absolute_url())
    assert frame_sources(response) == list(embeds.FRAME_ORIGINS)
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert directives["frame-src"] == list(embeds.FRAME_ORIGINS)
    # Nothing else of theirs: no scripts, images or styles from the video sites.
    for name in ("script-src", "img-src", "style-src", "connect-src", "default-src"):
        assert not any("youtube" in source or "vimeo" in source for source in directives[name])
    assert directives["frame-ancestors"] == ["'none'"]
