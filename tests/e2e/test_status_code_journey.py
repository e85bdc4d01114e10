"""A customer with a letter in hand types its short code and reaches their status page, in
Chromium, with the keyboard; the page passes axe, also with a wrong code (issue #10, 12)."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from klachten.domain.status_code import code_for, grouped
from tests.e2e.test_accessibility import status_token  # noqa: F401 - the fixture


def _serious(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]


def test_the_code_from_a_letter_opens_the_status_page(page, status_token):  # noqa: F811
    page.goto("/status/")
    page.get_by_role("heading", name="Uw persoonlijke pagina").wait_for()
    assert _serious(page) == []
    field = page.get_by_label("Uw code")
    field.fill("AAAAA-BBBBB")
    field.press("Enter")
    page.get_by_role("alert").wait_for()
    assert "Deze code kennen we niet" in page.get_by_role("alert").inner_text()
    assert _serious(page) == []
    code = grouped(code_for(status_token)).lower()
    page.get_by_label("Uw code").fill(code)
    page.get_by_role("button", name="Naar mijn pagina").click()
    page.wait_for_url(f"**/status/{status_token}/")
    page.get_by_role("heading", level=1).wait_for()
