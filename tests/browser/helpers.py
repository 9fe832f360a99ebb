"""What the browser tests do over and over: log in, ask axe-core what is wrong."""

from pathlib import Path

import axe_playwright_python
from playwright.sync_api import expect


def log_in(page, user, password="x"):
    """Log in through the admin's own form, as an editor does; return on the admin index."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Gebruikersnaam").fill(user.get_username())
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="Nieuwsredactie")).to_be_visible()


# axe-core as bundled by the PyPI package axe-playwright-python (no npm needed).
AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
SERIOUS = {"serious", "critical"}


def axe_violations(page, ignore=()):
    """Run axe-core on the page; return its serious and critical violations as text.

    `ignore` holds (rule id, CSS selector) pairs: that one rule is not reported for
    elements inside what the selector matches. Every other rule still applies to them.
    Injected with page.evaluate, which the Content-Security-Policy does not govern
    (an injected <script> element would be refused: no inline scripts).
    """
    page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        """async (ignore) => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            const ignored = (rule, node) => ignore.some(([id, selector]) => {
                const element = document.querySelector(node.target[0]);
                return id === rule && element !== null && element.closest(selector) !== null;
            });
            return results.violations.map((violation) => ({
                ...violation,
                nodes: violation.nodes.filter((node) => !ignored(violation.id, node)),
            })).filter((violation) => violation.nodes.length > 0);
        }""",
        [list(pair) for pair in ignore],
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']} {node['html'][:200]}" for node in v["nodes"])
        for v in violations
        if v["impact"] in SERIOUS
    ]
