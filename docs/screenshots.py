"""Make the README's screenshots from a real running installation.

    .venv/bin/python docs/screenshots.py

Starts ``klachten serve`` on an empty data dir and photographs the one-time set-up page it
links to; then starts it again on a fresh data dir filled by ``klachten demo`` and photographs
the main pages in Debian's Chromium into ``docs/screenshots/``, and the first page of a letter
as the customer receives it (PDFium, from the test extra).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

HERE = Path(__file__).resolve().parent
OUT = HERE / "screenshots"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PASSWORD = "Demo-Kerngroep-2026!"  # noqa: S105 - a throwaway account in a temp dir
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LETTER = (
    "Beste mevrouw Bakker,\n\nHartelijk dank voor uw telefoontje. Het spijt ons dat het "
    "lesmateriaal niet op tijd bij u was. Uw klacht hebben wij direct opgepakt. Dat de "
    "uitnodiging te laat kwam, ligt aan het computersysteem.\n\nMet vriendelijke groet,\n"
    "Petra de Vries"
)


# A customer's status page that asks for their view of the proposed solution (R7).
FIND_STATUS_PAGE = (
    "from klachten.complaints.models import Complaint; "
    "from klachten.complaints.selectors import status_token_for; "
    "c = Complaint.objects.filter(status='solution_proposed', status_token_digest__isnull=False)"
    ".order_by('pk').first(); print((c.reference, status_token_for(c)))"
)
# An auditor, and a sample of dossiers management drew for the audit (#16 item 4).
MAKE_AUDIT_SAMPLE = (
    "from datetime import date; from django.utils import timezone; "
    "from klachten.accounts.models import Staff; "
    "from klachten.accounts.services import staff_create; "
    "from klachten.auditing.services import sample_draw; "
    "staff_create(username='ines', role='auditor', first_name='Ines', last_name='Bakker', "
    f"email='ines@audit.example', password='{PASSWORD}'); "
    "today = timezone.localdate(); "
    "drawn = sample_draw(actor=Staff.objects.get(username='marco'), "
    "first=date(today.year - 1, 1, 1), last=today, count=8, now=timezone.now()); "
    "print((len(drawn), 'ok'))"
)
# The login page as an institute with single sign-on sees it (#15); no provider is called.
SSO_SHOWN = {
    "KLACHTEN_OIDC_ISSUER": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
    "KLACHTEN_OIDC_CLIENT_ID": "kerngroep-klachten",
    "KLACHTEN_OIDC_CLIENT_SECRET": "niet-gebruikt",
    # Management's pages are photographed after sign-in; the second-step page on its own.
    "KLACHTEN_MFA": "optional",
}
# A letter to a customer (a receipt confirmation sent by post: the status QR and short code).
FIND_LETTER = (
    "from klachten.messaging.models import CustomerMessage; "
    "print(CustomerMessage.objects.filter(channel='letter', kind='receipt')"
    ".order_by('pk').values_list('complaint__reference', 'pk').first())"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _shell(klachten: list[str], env: dict[str, str], code: str) -> tuple[str, str]:
    """Two values printed as a tuple by ``klachten shell -c``."""
    found = subprocess.run(  # noqa: S603
        [*klachten, "shell", "-c", code], env=env, check=True, capture_output=True, text=True
    ).stdout
    last = found.strip().splitlines()[-1]  # the shell may say what it imported first
    first, second = (part.strip(" '()") for part in last.split(","))
    return first, second


def shoot_setup(klachten: list[str]) -> None:
    """The page a newcomer opens from the link ``klachten serve`` prints (README, first lines)."""
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "KLACHTEN_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        server = subprocess.Popen(  # noqa: S603
            [*klachten, "serve", "--port", str(_free_port())],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            link = next(line.strip() for line in server.stdout or () if "/inrichten/" in line)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport=LAPTOP, locale="nl-NL")
                page.goto(link)
                page.screenshot(path=OUT / "inrichten.png", full_page=True)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    klachten = [sys.executable, "-m", "klachten"]
    shoot_setup(klachten)
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "KLACHTEN_DATA_DIR": data_dir, **SSO_SHOWN}
        env.pop("DATABASE_URL", None)
        port = _free_port()
        subprocess.run([*klachten, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [*klachten, "demo", "--seed", "7", "--password", PASSWORD],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        reference, token = _shell(klachten, env, FIND_STATUS_PAGE)
        _shell(klachten, env, MAKE_AUDIT_SAMPLE)
        letter = "/meldingen/{}/berichten/{}/brief.pdf".format(*_shell(klachten, env, FIND_LETTER))
        server = subprocess.Popen(  # noqa: S603
            [*klachten, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True
        )
        try:
            for line in server.stdout or ():
                if "http://" in line:
                    break
            shoot(f"http://127.0.0.1:{port}", reference, token, letter)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_load_state()


def _letter_png(pdf: bytes) -> None:
    """The letter's first page as the customer sees it on paper."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    document[0].render(scale=1.5).to_pil().save(OUT / "brief.png")


def shoot(base: str, reference: str, status_token: str, letter: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        employee = browser.new_page(viewport=LAPTOP, locale="nl-NL")
        employee.goto(base + "/")
        employee.screenshot(path=OUT / "inloggen.png")
        _log_in(employee, base, "petra")
        employee.get_by_role("heading", name="Goedendag").wait_for()
        employee.screenshot(path=OUT / "start.png")
        employee.goto(base + "/meldingen/nieuw/")
        employee.screenshot(path=OUT / "nieuwe-melding.png", full_page=True)
        employee.goto(base + "/tekstcontrole/")
        employee.get_by_label("Tekst voor de klant").fill(LETTER)
        employee.get_by_role("button", name="Controleren").click()
        employee.locator(".finding").first.wait_for()
        employee.screenshot(path=OUT / "tekstcontrole.png", full_page=True)
        employee.goto(base + "/termijnen/?received_at=2026-04-02T14%3A00")
        employee.screenshot(path=OUT / "termijnen.png", full_page=True)

        manager = browser.new_page(viewport=LAPTOP, locale="nl-NL")
        _log_in(manager, base, "marco")
        manager.goto(base + "/")
        manager.screenshot(path=OUT / "start-directie.png")
        manager.goto(base + "/meldingen/")
        manager.screenshot(path=OUT / "overzicht.png")  # one screen: ≥ 15 complaints (#14)
        manager.locator("table a[href^='/meldingen/KG-']").first.click()
        manager.wait_for_load_state()
        manager.screenshot(path=OUT / "melding.png", full_page=True)
        manager.goto(f"{base}/meldingen/{reference}/")
        manager.locator("#berichten > summary").click()
        manager.locator("#berichten a").first.click()
        manager.wait_for_load_state()
        manager.screenshot(path=OUT / "bericht.png", full_page=True)
        _letter_png(manager.request.get(base + letter).body())
        manager.goto(base + "/instellingen/")
        manager.screenshot(
            path=OUT / "instellingen.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1366, "height": 1800},
        )
        manager.goto(base + "/dashboard/")
        manager.screenshot(
            path=OUT / "dashboard.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1366, "height": 2400},
        )
        manager.goto(base + "/account/2fa/")
        manager.screenshot(path=OUT / "tweestapsverificatie.png")

        auditor = browser.new_page(viewport={"width": 1366, "height": 900}, locale="nl-NL")
        _log_in(auditor, base, "ines")
        auditor.screenshot(path=OUT / "audit.png")
        auditor.locator("table a").first.click()
        auditor.wait_for_load_state()
        auditor.screenshot(path=OUT / "audit-dossier.png")

        customer = browser.new_page(viewport=LAPTOP, locale="nl-NL")
        customer.goto(base + "/melding/")
        customer.screenshot(path=OUT / "publiek-formulier.png", full_page=True)
        customer.goto(base + "/status/")
        customer.screenshot(path=OUT / "statuscode.png", full_page=True)
        customer.goto(f"{base}/status/{status_token}/")
        customer.screenshot(path=OUT / "statuspagina.png", full_page=True)
        # The same screens on a phone (#14): the menu behind a button, nothing scrolls sideways.
        phone = browser.new_page(viewport=PHONE, locale="nl-NL")
        _log_in(phone, base, "marco")
        phone.screenshot(path=OUT / "start-390.png", full_page=True)
        phone.goto(base + "/meldingen/")
        phone.screenshot(path=OUT / "overzicht-390.png")
        phone.goto(f"{base}/meldingen/{reference}/")
        phone.screenshot(path=OUT / "melding-390.png")
        customer_phone = browser.new_page(viewport=PHONE, locale="nl-NL")
        customer_phone.goto(f"{base}/status/{status_token}/")
        customer_phone.screenshot(path=OUT / "statuspagina-390.png", full_page=True)

        customer.goto(base + "/regeling/")
        customer.screenshot(
            path=OUT / "regeling.png",
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1366, "height": 1600},
        )
        browser.close()


if __name__ == "__main__":
    main()
