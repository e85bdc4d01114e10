"""``klachten retention [--dry-run]``: apply the retention rules now (R5, CONTRACT.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachten.ops.management.base import ProjectCommand, quiet
from klachten.privacy.retention import RetentionReport, retention_run


class Command(ProjectCommand):
    help = (
        "Anonymise or erase, as configured, every closed complaint whose retention term has "
        "passed (R5); --dry-run lists what would go and changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        # The service's log line is for the worker's nightly run; the summary below says it.
        with quiet("klachten.privacy.retention"):
            report = retention_run(now=timezone.now(), dry_run=dry_run)
        if dry_run:
            line = (
                _("zou worden geanonimiseerd: %(reference)s (gesloten op %(closed)s)")
                if report.mode == "anonymise"
                else _("zou worden gewist: %(reference)s (gesloten op %(closed)s)")
            )
            for reference, closed_at in report.complaints:
                self.stdout.write(
                    line % {"reference": reference, "closed": timezone.localdate(closed_at)}
                )
        self.stdout.write(summary(report))


def summary(report: RetentionReport) -> str:
    """What the run did, or would do, in one line."""
    count = len(report.complaints)
    if report.dry_run:
        complaints = (
            ngettext(
                "%(count)d melding zou worden geanonimiseerd",
                "%(count)d meldingen zouden worden geanonimiseerd",
                count,
            )
            if report.mode == "anonymise"
            else ngettext(
                "%(count)d melding zou worden gewist",
                "%(count)d meldingen zouden worden gewist",
                count,
            )
        )
    else:
        complaints = (
            ngettext(
                "%(count)d melding geanonimiseerd", "%(count)d meldingen geanonimiseerd", count
            )
            if report.mode == "anonymise"
            else ngettext("%(count)d melding gewist", "%(count)d meldingen gewist", count)
        )
    parts = {
        "complaints": complaints % {"count": count},
        "term": ngettext(
            "bewaartermijn %(years)d jaar", "bewaartermijn %(years)d jaar", report.years
        )
        % {"years": report.years},
        "files": ngettext(
            "%(count)d klantmap geleegd", "%(count)d klantmappen geleegd", report.customer_files
        )
        % {"count": report.customer_files},
        "attachments": ngettext(
            "%(count)d bijlage verwijderd", "%(count)d bijlagen verwijderd", report.attachments
        )
        % {"count": report.attachments},
        "held": ngettext(
            "%(count)d bewaard voor een lopend geschil (R11)",
            "%(count)d bewaard voor een lopend geschil (R11)",
            report.held_by_dispute,
        )
        % {"count": report.held_by_dispute},
    }
    if report.dry_run:  # what a run would empty and remove is only known once it runs
        line = _("%(complaints)s (%(term)s); %(held)s.") % parts
        return _("Proef, er verandert niets: %(summary)s") % {"summary": line}
    return _("%(complaints)s (%(term)s); %(files)s, %(attachments)s; %(held)s.") % parts
