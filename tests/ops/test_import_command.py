"""``klachten import`` through the installed entry point (CONTRACT.md; #16 item 5): on a new
data dir it brings the database up to date first, its report goes to standard output, a
refusal is one Dutch line on standard error, and the exit status says what happened — 0
imported (or, dry, would be), 1 nothing imported, 2 the file is no register."""

from __future__ import annotations

from pathlib import Path

from tests.ops.test_cli import klachten

HEADER = "Ontvangen;Naam;Straat;Huisnummer;Postcode;Plaats;E-mail;Verslag\n"
GOOD = "3-3-2025;A. Bakker;Lindenlaan;12a;3512 AB;Utrecht;a@example.nl;Map ontbrak.\n"
BAD = "4-3-2025;B. de Jong;Kerkstraat;1;12;Amersfoort;;Lokaal dicht.\n"


def test_the_exit_status_says_what_became_of_the_file(tmp_path: Path) -> None:
    created = klachten(
        tmp_path, "createstaff", "marco", "--role", "management", "--email", "m@k.nl"
    )
    assert created.returncode == 0, created.stderr
    good, mixed, old = tmp_path / "goed.csv", tmp_path / "gemengd.csv", tmp_path / "oud.xls"
    good.write_text(HEADER + GOOD, encoding="utf-8")
    mixed.write_text(HEADER + GOOD + BAD, encoding="cp1252")
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64))

    unreadable = klachten(tmp_path, "import", str(old), "--received-by", "marco")
    assert unreadable.returncode == 2
    assert unreadable.stdout == ""
    assert unreadable.stderr.startswith("klachten: oud.xls is een oud Excel-bestand (.xls)")
    assert unreadable.stderr.count("\n") == 1

    refused = klachten(tmp_path, "import", str(mixed), "--received-by", "marco")
    assert refused.returncode == 1
    assert "rij 3: geweigerd — Postcode:" in refused.stdout
    assert refused.stdout.splitlines()[-1] == "0 meldingen geïmporteerd, 1 rij geweigerd."
    assert refused.stderr.startswith("klachten: er is niets geïmporteerd: 1 rij is geweigerd.")
    assert "Traceback" not in refused.stderr

    dry = klachten(tmp_path, "import", str(good), "--received-by", "marco", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[-1] == (
        "Proef, er verandert niets: 1 melding zou worden geïmporteerd, 0 rijen geweigerd."
    )

    imported = klachten(tmp_path, "import", str(good), "--received-by", "marco")
    assert imported.returncode == 0, imported.stderr
    assert "rij 2: geïmporteerd als KG-2025-00001" in imported.stdout
    assert imported.stdout.splitlines()[-1] == "1 melding geïmporteerd, 0 rijen geweigerd."

    # Without --received-by: the longest-serving member of management (CONTRACT.md's form).
    again = klachten(tmp_path, "import", str(good), "--dry-run")
    assert again.returncode == 1  # already imported: refused, never doubled
    assert "geweigerd" in again.stdout
