"""The newsroom on a laptop (1280 px) and a phone (375 px): the article list's countries
and topics and the form's buttons are on screen, not behind a sideways scroll."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from news.models import Article
from tests.browser.helpers import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = (375, 1280)


def assert_on_screen(page, selector, width):
    boxes = [box for box in page.locator(selector).evaluate_all(
        "(nodes) => nodes.map((node) => node.getBoundingClientRect().toJSON())"
    ) if box["width"] > 0]  # fmt: skip
    assert boxes, f"nothing shows {selector}"
    for box in boxes:
        assert 0 <= box["left"] and box["right"] <= width, f"{selector} runs off: {box}"


def test_the_list_and_the_form_fit_a_laptop_and_a_phone(new_page, final_editor, screenshot):
    call_command("load_demo", verbosity=0)
    article = Article.objects.exclude(lead_image=None).first()
    for width in WIDTHS:
        page = new_page(width=width, height=900)
        log_in(page, final_editor)

        page.goto("/admin/news/article/")
        expect(page.get_by_role("heading", name="Kies een artikel om te wijzigen")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for column in (".field-title", ".field-state_badge", ".field-country_list",
                       ".field-topic_list"):  # fmt: skip
            assert_on_screen(page, f"#result_list tbody {column}", width)
        screenshot(page, f"redactie-lijst-{width}")

        page.goto(f"/admin/news/article/{article.pk}/change/")
        expect(page.get_by_role("heading", name="Wijzig artikel")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for name in ("Voorbeeld", "Revisies"):
            expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
        assert_on_screen(page, ".object-tools a", width)
        # The country picker speaks Dutch.
        expect(page.get_by_text("Kies landen door ze te selecteren")).to_be_attached()
        screenshot(page, f"redactie-formulier-{width}")
