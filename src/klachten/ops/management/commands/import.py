# ruff: noqa: N999 - the command is `klachten import` (CONTRACT.md); Django names it by its module
"""``klachten import FILE [--received-by USERNAME] [--dry-run] [--skip-invalid]`` (#16 item 5).

Takes over an institute's own complaints register, a CSV or XLSX file, through
``klachten.complaints.importing``: a report per row (would be imported, or refused and why,
with the row's number as the spreadsheet shows it), then a summary line. ``--dry-run`` writes
nothing. The real run imports all rows in one transaction, and nothing when a row is refused,
unless ``--skip-invalid``: then the good rows, and the refused ones are named.

Exit status: 0 imported (or, dry, would be); 1 nothing imported because rows were refused (or
there was nothing to import, or the receiver is unknown); 2 the file cannot be read as a
register. Refusals go to standard error as one line, ``klachten: …``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachten.accounts.models import Staff, management_filter
from klachten.accounts.selectors import staff_get_by_username
from klachten.complaints.importing import (
    ImportAborted,
    RegisterReport,
    RegisterUnreadable,
    register_import,
)
from klachten.ops.management.base import ProjectCommand

UNREADABLE = 2
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 met BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
}


class Command(ProjectCommand):
    help = (
        "Import an existing complaints register (CSV or XLSX): a report per row, then one "
        "transaction. --dry-run changes nothing; --skip-invalid imports the good rows when "
        "some are refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The register: a .csv or .xlsx file.")
        parser.add_argument(
            "--received-by",
            default="",
            metavar="USERNAME",
            help="The staff member who becomes receiver and handler of every imported "
            "complaint (R15); by default the longest-serving active member of management.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; change nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the rows that are valid even when others are refused.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["received_by"].strip():
            # History is management's to hold (R2): never the queue every employee sees.
            staff = Staff.objects.filter(management_filter(), is_active=True).order_by("pk").first()
            if staff is None:
                raise CommandError(
                    _(
                        "er is nog geen actief directielid om de meldingen op naam te zetten; "
                        "geef --received-by GEBRUIKERSNAAM op."
                    )
                )
        else:
            staff = staff_get_by_username(options["received_by"].strip())
        if staff is None or not staff.is_active:
            raise CommandError(
                _("er is geen actieve medewerker met gebruikersnaam %(username)s.")
                % {"username": options["received_by"]}
            )
        try:
            report = register_import(
                path=Path(options["file"]),
                received_by=staff,
                now=timezone.now(),
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
            )
        except RegisterUnreadable as error:
            raise CommandError(error.detail, returncode=UNREADABLE) from error
        except ImportAborted as error:
            raise CommandError(error.detail) from error
        for line in report_lines(report):
            self.stdout.write(line)
        self.stdout.write(summary(report))
        if report.refused_all:
            raise CommandError(
                ngettext(
                    "er is niets geïmporteerd: %(count)d rij is geweigerd. Verbeter die en "
                    "probeer het opnieuw, of importeer alleen de goede rijen met "
                    "--skip-invalid.",
                    "er is niets geïmporteerd: %(count)d rijen zijn geweigerd. Verbeter die "
                    "en probeer het opnieuw, of importeer alleen de goede rijen met "
                    "--skip-invalid.",
                    len(report.refused),
                )
                % {"count": len(report.refused)}
            )
        if not report.planned:
            raise CommandError(_("er is niets om te importeren."))


def _day(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y")


def report_lines(report: RegisterReport) -> list[str]:
    """The report, in Dutch: the file, its columns, each row, the lists and retention."""
    table = report.table
    kind = (
        _("Excel, eerste blad")
        if table.kind == "xlsx"
        else _("CSV, scheidingsteken “%(delimiter)s”, %(encoding)s")
        % {
            "delimiter": "tab" if table.delimiter == "\t" else table.delimiter,
            "encoding": ENCODINGS.get(table.encoding, table.encoding),
        }
    )
    lines = [
        _("Bestand: %(file)s (%(kind)s).") % {"file": report.file, "kind": kind},
        _("Kolommen: %(columns)s.")
        % {"columns": ", ".join(f"{header} → {name}" for header, name in report.columns)},
    ]
    if report.ignored:
        lines.append(_("Niet gebruikt: %(columns)s.") % {"columns": ", ".join(report.ignored)})
    rows: list[tuple[int, str]] = []
    for plan in report.planned:
        facts = [_("ontvangen %(day)s") % {"day": _day(plan.received_at)}]
        if plan.closed_at is not None:
            facts.append(_("afgehandeld %(day)s") % {"day": _day(plan.closed_at)})
        if plan.customer_file is not None:
            facts.append(_("bestaande klantmap"))
        elif plan.shares_with is not None:
            facts.append(_("klantmap van rij %(row)s") % {"row": plan.shares_with})
        else:
            facts.append(_("nieuwe klantmap"))
        reference = report.imported.get(plan.row)
        if reference:
            text = _("rij %(row)s: geïmporteerd als %(reference)s (%(facts)s)")
        elif report.refused_all:
            text = _("rij %(row)s: in orde (%(facts)s)")
        else:
            text = _("rij %(row)s: wordt geïmporteerd (%(facts)s)")
        rows.append(
            (
                plan.row,
                text % {"row": plan.row, "reference": reference, "facts": ", ".join(facts)},
            )
        )
    for refused in report.refused:
        rows.append(
            (
                refused.row,
                _("rij %(row)s: geweigerd — %(reasons)s")
                % {"row": refused.row, "reasons": " ".join(refused.reasons)},
            )
        )
    lines.extend(line for _row, line in sorted(rows))
    lines.extend(_lists_lines(report))
    past = report.past_retention
    if past:
        lines.append(
            ngettext(
                "Bewaartermijn (R5): %(count)d melding is langer dan %(years)d jaar geleden "
                "afgehandeld; de eerstvolgende bewaarronde anonimiseert die (rij %(rows)s).",
                "Bewaartermijn (R5): %(count)d meldingen zijn langer dan %(years)d jaar geleden "
                "afgehandeld; de eerstvolgende bewaarronde anonimiseert die (rijen %(rows)s).",
                len(past),
            )
            % {
                "count": len(past),
                "years": report.retention_years,
                "rows": ", ".join(str(plan.row) for plan in past),
            }
        )
    return lines


def _lists_lines(report: RegisterReport) -> list[str]:
    """The names the register uses that are in no list yet (#16 item 1)."""
    if not report.new_items:
        return []
    names = {
        "course": _("cursussen"),
        "trainer": _("trainers"),
        "category": _("categorieën"),
    }
    parts = "; ".join(
        f"{names[kind]}: {', '.join(items)}" for kind, items in report.new_items.items()
    )
    if report.imported:
        return [_("Toegevoegd aan de lijsten: %(parts)s.") % {"parts": parts}]
    return [_("Nieuw voor de lijsten (een import voegt ze toe): %(parts)s.") % {"parts": parts}]


def summary(report: RegisterReport) -> str:
    """ "12 meldingen geïmporteerd, 2 rijen geweigerd." — or, dry, what would be."""
    refused = ngettext(
        "%(count)d rij geweigerd", "%(count)d rijen geweigerd", len(report.refused)
    ) % {"count": len(report.refused)}
    if report.dry_run:
        count = 0 if report.refused_all else len(report.planned)
        would = ngettext(
            "%(count)d melding zou worden geïmporteerd",
            "%(count)d meldingen zouden worden geïmporteerd",
            count,
        ) % {"count": count}
        return _("Proef, er verandert niets: %(imported)s, %(refused)s.") % {
            "imported": would,
            "refused": refused,
        }
    count = len(report.imported)
    imported = ngettext(
        "%(count)d melding geïmporteerd", "%(count)d meldingen geïmporteerd", count
    ) % {"count": count}
    return f"{imported}, {refused}."  # two translated parts; the frame is the same in English
