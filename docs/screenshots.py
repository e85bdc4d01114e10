"""Make the README's screenshots from a real running installation.

    .venv/bin/python docs/screenshots.py

Starts ``klachten serve`` on a fresh data dir, creates a staff member, and photographs the
main pages in Debian's Chromium into ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
OUT = HERE / "screenshots"
PASSWORD = "Kerngroep-demo-2026!"  # noqa: S105 - a throwaway account in a temp dir
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


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "KLACHTEN_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        klachten = [sys.executable, "-m", "klachten"]
        subprocess.run([*klachten, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [
                *klachten,
                "createstaff",
                "petra",
                "--role",
                "employee",
                "--first-name",
                "Petra",
                "--last-name",
                "de Vries",
                "--password-stdin",
            ],
            env=env,
            input=PASSWORD,
            text=True,
            check=True,
        )
        server = subprocess.Popen(  # noqa: S603
            [*klachten, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True
        )
        try:
            for line in server.stdout or ():
                if "http://" in line:
                    break
            shoot(f"http://127.0.0.1:{port}")
        finally:
            server.terminate()
            server.wait(timeout=30)


def shoot(base: str) -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1200, "height": 800}, locale="nl-NL")
        page.goto(base + "/")
        page.screenshot(path=OUT / "inloggen.png")
        page.get_by_label("Gebruikersnaam").fill("petra")
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_role("heading", name="Goedendag, Petra").wait_for()
        page.screenshot(path=OUT / "start.png")
        page.goto(base + "/tekstcontrole/")
        page.get_by_label("Tekst voor de klant").fill(LETTER)
        page.get_by_role("button", name="Controleren").click()
        page.locator(".finding").first.wait_for()
        page.screenshot(path=OUT / "tekstcontrole.png", full_page=True)
        page.goto(base + "/termijnen/?received_at=2026-04-02T14%3A00")
        page.screenshot(path=OUT / "termijnen.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
