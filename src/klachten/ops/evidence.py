"""The evidence pack for the audit of the quality mark (#16 item 6): one ZIP for a period.

An auditor of the NRTO keurmerk, the CRKBO registration or ISO 10002 asks, point by point,
where the proof is. The pack answers in one download: a PDF cover (``00-voorblad.pdf``) with a
table of the audit points, each linking to the files in the ZIP that evidence it (relative
links: they open once the ZIP is unpacked), and those files:

* the complaints regulation (R17) as a PDF: every version in force at some moment of the
  period (#16 item 7), each with the dates it was in force, as it was kept then; for a period
  before the first version was kept, the regulation as it reads now, and the cover says so;
* the register of the complaints received in the period (``reports.register``) as XLSX,
  without customers' names (R2);
* the dossiers management sampled for the audit (``auditing``), received in the period, one
  PDF each, pseudonymised as the auditor reads them;
* the satisfaction results (R1) of the complaints of the period: counts per score and the
  share "settled for you", never a customer's comment;
* the improvement measures of the period (as the annual report chooses them) with their owner,
  status, effect check and recurrence watch (#16 item 2);
* the retention proof (R5): the term, what was anonymised and when, whether anything went
  before its year or stayed past its term, and the oldest personal data still kept — all
  counted by queries when the pack is made.

It lives in ``ops`` because it reads ``reports``, ``privacy``-adjacent settings, ``public``
and ``auditing``, which sit in one layer and may not import each other
(docs/architecture.md, "The layers"). Every pack made is written to the audit log
(``evidence_pack_exported``).
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import IO, Final

from django.db.models import Avg, Count, F, Min, Q
from django.db.models.functions import TruncDate
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klachten.accounts.models import Staff
from klachten.audit.services import audit_append
from klachten.auditing import selectors as auditing
from klachten.complaints.models import Complaint, SatisfactionSurvey
from klachten.core.clock import local_today
from klachten.core.errors import Forbidden
from klachten.core.files import written_file
from klachten.core.pdf import html_to_pdf
from klachten.customers.models import CustomerFile
from klachten.domain import retention as rules
from klachten.domain.figures import day_start
from klachten.domain.retention import Hold, RetentionFacts
from klachten.domain.workdays import AMSTERDAM
from klachten.organisation.models import RetentionMode
from klachten.organisation.selectors import organisation_settings, regulation_versions
from klachten.public.regulation import Regulation, regulation_get
from klachten.public.regulation_versions import regulation_of_version
from klachten.reports.models import ImprovementMeasure
from klachten.reports.register import Register, register_all, register_for, register_xlsx
from klachten.reports.selectors import improvement_measures, measures_recurrence

EXPORTED: Final = "evidence_pack_exported"  # the audit log's action
CONTENT_TYPE: Final = "application/zip"

# --- What the pack holds -------------------------------------------------------------------------

COVER: Final = "00-voorblad.pdf"
REGULATION: Final = "regulation"
REGISTER: Final = "register"
DOSSIERS: Final = "dossiers"
SATISFACTION: Final = "satisfaction"
MEASURES: Final = "measures"
RETENTION: Final = "retention"

#: Each kind of evidence: its file in the ZIP and what the cover calls it. The dossiers are a
#: folder of one PDF per sampled complaint.
FILES: Final[dict[str, tuple[str, Promise]]] = {
    REGULATION: ("01-klachtenregeling.pdf", gettext_lazy("Klachtenregeling")),
    REGISTER: ("02-register-meldingen.xlsx", gettext_lazy("Register van meldingen")),
    DOSSIERS: ("03-dossiers/", gettext_lazy("Dossiers uit de steekproef")),
    SATISFACTION: ("04-tevredenheid.pdf", gettext_lazy("Tevredenheid na afsluiten")),
    MEASURES: ("05-verbetermaatregelen.pdf", gettext_lazy("Verbetermaatregelen en hun effect")),
    RETENTION: ("06-bewaartermijn.pdf", gettext_lazy("Bewaartermijn: bewijs")),
}


@dataclass(frozen=True)
class AuditPoint:
    """One point an auditor checks, in our own words (not the standard's text), with the
    evidence that shows it and where in it to look."""

    scheme: str
    number: str
    title: Promise
    evidence: tuple[str, ...]
    where: Promise


NRTO = "NRTO / CRKBO"
ISO = "ISO 10002"

AUDIT_POINTS: Final[tuple[AuditPoint, ...]] = (
    AuditPoint(
        NRTO,
        "1",
        gettext_lazy("Er is een klachtenregeling en die is openbaar"),
        (REGULATION,),
        gettext_lazy("De regeling zoals gepubliceerd op de website (R17)."),
    ),
    AuditPoint(
        NRTO,
        "2",
        gettext_lazy("Elke klacht wordt vastgelegd"),
        (REGISTER, DOSSIERS),
        gettext_lazy("Eén rij per melding; de dossiers tonen het verslag bij ontvangst (R5)."),
    ),
    AuditPoint(
        NRTO,
        "3",
        gettext_lazy("De indiener krijgt een ontvangstbevestiging"),
        (DOSSIERS, REGISTER),
        gettext_lazy("Verloop van elk dossier; kolommen Eerste contact en Contact op tijd (R3)."),
    ),
    AuditPoint(
        NRTO,
        "4",
        gettext_lazy("Afhandeltermijn, en bericht met reden en nieuwe termijn bij uitstel"),
        (REGULATION, REGISTER, DOSSIERS),
        gettext_lazy("Termijnen in de regeling; kolommen Uitstelbericht en Afhandeling (R16)."),
    ),
    AuditPoint(
        NRTO,
        "5",
        gettext_lazy("Een onafhankelijke derde, met bindende uitspraak"),
        (REGULATION, REGISTER, DOSSIERS),
        gettext_lazy("De derde in de regeling; kolommen Voorgelegd aan derde en Uitspraak (R11)."),
    ),
    AuditPoint(
        NRTO,
        "6",
        gettext_lazy("Klachten en hun afhandeling worden minstens een jaar bewaard"),
        (RETENTION, REGISTER),
        gettext_lazy("Bewaartermijn, wat is geanonimiseerd en wanneer (R5)."),
    ),
    AuditPoint(
        NRTO,
        "7",
        gettext_lazy("Klachten worden geanalyseerd en leiden tot verbetering"),
        (MEASURES, REGISTER, SATISFACTION),
        gettext_lazy("Maatregelen met eigenaar, effectcontrole en meldingen ervoor en erna."),
    ),
    AuditPoint(
        ISO,
        "7.1",
        gettext_lazy("Informatie over hoe en waar men een klacht indient"),
        (REGULATION,),
        gettext_lazy("De regeling: kanalen, termijnen, contactgegevens."),
    ),
    AuditPoint(
        ISO,
        "7.2",
        gettext_lazy("Ontvangst: de klacht wordt met de nodige gegevens vastgelegd"),
        (REGISTER, DOSSIERS),
        gettext_lazy("Ontvangen, kanaal, cursus, categorie; het verslag in het dossier."),
    ),
    AuditPoint(
        ISO,
        "7.3",
        gettext_lazy("Volgen: de stand van elke klacht is steeds bekend"),
        (DOSSIERS, REGISTER),
        gettext_lazy("Het verloop in elk dossier; kolom Status in het register."),
    ),
    AuditPoint(
        ISO,
        "7.4",
        gettext_lazy("Bevestiging van ontvangst aan de indiener"),
        (DOSSIERS, REGISTER),
        gettext_lazy("Het eerste contact en het bericht aan de klant in het verloop."),
    ),
    AuditPoint(
        ISO,
        "7.5",
        gettext_lazy("Eerste beoordeling: aard, ernst en urgentie"),
        (DOSSIERS, REGISTER),
        gettext_lazy("Categorie en oorzaak; wie de melding behandelt."),
    ),
    AuditPoint(
        ISO,
        "7.6",
        gettext_lazy("Onderzoek naar de omstandigheden"),
        (DOSSIERS,),
        gettext_lazy("Contactmomenten en notities in het verloop."),
    ),
    AuditPoint(
        ISO,
        "7.7",
        gettext_lazy("Een antwoord of oplossing"),
        (DOSSIERS, REGISTER),
        gettext_lazy("Voorgestelde oplossing in het dossier; kolom Uitkomst."),
    ),
    AuditPoint(
        ISO,
        "7.8",
        gettext_lazy("Het besluit wordt aan de indiener meegedeeld"),
        (DOSSIERS,),
        gettext_lazy("De berichten aan de klant in het verloop."),
    ),
    AuditPoint(
        ISO,
        "7.9",
        gettext_lazy("Afsluiten, of verwijzen naar een derde als de indiener niet tevreden is"),
        (REGISTER, DOSSIERS, SATISFACTION),
        gettext_lazy("Kolommen Afgesloten en Voorgelegd aan derde; de tevredenheid na afloop."),
    ),
    AuditPoint(
        ISO,
        "8.1",
        gettext_lazy("Gegevens over klachten worden verzameld"),
        (REGISTER,),
        gettext_lazy("Het register van de periode."),
    ),
    AuditPoint(
        ISO,
        "8.2",
        gettext_lazy("Analyse en evaluatie: terugkerende oorzaken worden gezocht"),
        (REGISTER, MEASURES),
        gettext_lazy("Oorzaak per melding; meldingen per oorzaak voor en na een maatregel."),
    ),
    AuditPoint(
        ISO,
        "8.3",
        gettext_lazy("Tevredenheid van indieners over de afhandeling"),
        (SATISFACTION,),
        gettext_lazy("Aantallen per score en het deel voor de klant afgehandeld (R1)."),
    ),
    AuditPoint(
        ISO,
        "8.4",
        gettext_lazy("Bewaking van de afhandeling tegen de eigen termijnen"),
        (REGISTER, RETENTION),
        gettext_lazy("Per termijn gehaald of niet, zoals het dashboard telt."),
    ),
    AuditPoint(
        ISO,
        "8.5",
        gettext_lazy("Audit van het klachtenproces"),
        (DOSSIERS, REGISTER),
        gettext_lazy("Dit pakket en de steekproef die de directie trok."),
    ),
    AuditPoint(
        ISO,
        "8.6",
        gettext_lazy("Beoordeling door de directie"),
        (MEASURES,),
        gettext_lazy("Maatregelen met eigenaar, status en effectcontrole."),
    ),
    AuditPoint(
        ISO,
        "8.7",
        gettext_lazy("Voortdurende verbetering"),
        (MEASURES, SATISFACTION),
        gettext_lazy("Het resultaat van elke effectcontrole; terugkeer van meldingen."),
    ),
)


# --- Reading the evidence ------------------------------------------------------------------------


def _received_in(first: date, last: date) -> Q:
    return Q(
        complaint__received_at__gte=day_start(first),
        complaint__received_at__lt=day_start(last + timedelta(days=1)),
    )


@dataclass(frozen=True)
class Satisfaction:
    """R1: the answers of the customers whose complaints were received in the period."""

    asked: int
    answered: int
    per_score: list[tuple[int, int]]
    average: float | None
    settled_yes: int
    settled_no: int

    @property
    def settled_share(self) -> float | None:
        said = self.settled_yes + self.settled_no
        return None if said == 0 else self.settled_yes / said


def satisfaction_summary(*, first: date, last: date) -> Satisfaction:
    """One aggregate query; no comment of a customer is read."""
    answered = Q(answered_at__isnull=False)
    found = SatisfactionSurvey.objects.filter(_received_in(first, last)).aggregate(
        asked=Count("pk"),
        answered=Count("pk", filter=answered),
        average=Avg("score", filter=answered),
        settled_yes=Count("pk", filter=answered & Q(settled=True)),
        settled_no=Count("pk", filter=answered & Q(settled=False)),
        **{f"score_{n}": Count("pk", filter=answered & Q(score=n)) for n in range(1, 6)},
    )
    return Satisfaction(
        asked=found["asked"],
        answered=found["answered"],
        per_score=[(n, found[f"score_{n}"]) for n in range(1, 6)],
        average=found["average"],
        settled_yes=found["settled_yes"],
        settled_no=found["settled_no"],
    )


@dataclass(frozen=True)
class RetentionProof:
    """R5, as the database stands when the pack is made."""

    years: int
    mode: str
    anonymised_total: int
    anonymised_in_period: int
    per_day: list[tuple[date, int]]
    anonymised_within_a_year: int  # must be 0: kept at least a year after closing
    past_term_kept: int  # past the term, not yet anonymised (the next nightly run)
    held_by_dispute: int  # past the term, kept because a dispute is open (R11)
    oldest_received: datetime | None
    oldest_closed: datetime | None
    customer_files_anonymised: int


def retention_proof(*, first: date, last: date, now: datetime) -> RetentionProof:
    """Counted by queries (R5): nothing here is a setting repeated as a fact."""
    found = organisation_settings()
    years = rules.check_term(found.retention_years)
    anonymised = Complaint.objects.filter(anonymised_at__isnull=False)
    in_period = anonymised.filter(
        anonymised_at__gte=day_start(first), anonymised_at__lt=day_start(last + timedelta(days=1))
    )
    per_day = [
        (row["day"], row["count"])
        for row in in_period.annotate(day=TruncDate("anonymised_at", tzinfo=AMSTERDAM))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by("day")
    ]
    # A year is at least 365 days: anything anonymised sooner after closing broke R5.
    too_soon = anonymised.filter(
        Q(closed_at__isnull=True) | Q(anonymised_at__lt=F("closed_at") + timedelta(days=365))
    ).count()
    kept, disputed = 0, 0
    overdue = Complaint.objects.filter(
        anonymised_at__isnull=True,
        closed_at__isnull=False,
        closed_at__lt=rules.closed_before(now, years),
    ).only("closed_at", "dispute_referred_at", "ruling_at")
    for complaint in overdue.iterator(chunk_size=500):
        holding = rules.holds(
            RetentionFacts(
                closed_at=complaint.closed_at,
                dispute_referred_at=complaint.dispute_referred_at,
                ruling_at=complaint.ruling_at,
            ),
            now,
            years=years,
        )
        if Hold.DISPUTE_OPEN in holding:
            disputed += 1
        elif not holding:
            kept += 1
    oldest = Complaint.objects.filter(anonymised_at__isnull=True).aggregate(
        received=Min("received_at"), closed=Min("closed_at")
    )
    return RetentionProof(
        years=years,
        mode=str(RetentionMode(found.retention_mode).label),
        anonymised_total=anonymised.count(),
        anonymised_in_period=in_period.count(),
        per_day=per_day,
        anonymised_within_a_year=too_soon,
        past_term_kept=kept,
        held_by_dispute=disputed,
        oldest_received=oldest["received"],
        oldest_closed=oldest["closed"],
        customer_files_anonymised=CustomerFile.objects.filter(anonymised_at__isnull=False).count(),
    )


# --- Writing the pack ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Document:
    """A short PDF of the pack: a title, facts (label, value) and tables."""

    title: str
    lead: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM).date()
    return f"{value:%d-%m-%Y}"


def _share(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def _document_pdf(document: Document, organisation: str, first: date, last: date) -> bytes:
    return html_to_pdf(
        render_to_string(
            "ops/evidence/document.html",
            {"document": document, "organisation": organisation, "first": first, "last": last},
        )
    )


def _satisfaction_document(found: Satisfaction) -> Document:
    return Document(
        title=_("Tevredenheid na afsluiten (R1)"),
        lead=_(
            "Na het afsluiten vraagt het systeem de klant om een score van 1 tot 5 en of de "
            "zaak voor hem of haar is afgehandeld. Meldingen ontvangen in de periode; de "
            "opmerkingen van klanten staan hier niet in."
        ),
        facts=[
            (_("Gevraagd"), str(found.asked)),
            (_("Beantwoord"), str(found.answered)),
            (
                _("Gemiddelde score"),
                "—" if found.average is None else f"{found.average:.1f}".replace(".", ","),
            ),
            (_("Voor de klant afgehandeld: ja"), str(found.settled_yes)),
            (_("Voor de klant afgehandeld: nee"), str(found.settled_no)),
            (_("Aandeel voor de klant afgehandeld"), _share(found.settled_share)),
        ],
        tables=[
            Table(
                _("Antwoorden per score"),
                [_("Score"), _("Aantal")],
                [[str(score), str(count)] for score, count in found.per_score],
            )
        ],
    )


def _measures_document(measures: list[ImprovementMeasure], today: date) -> Document:
    recurrence = measures_recurrence(measures, today=today)
    rows = []
    for measure in measures:
        topics = [cause.name for cause in measure.root_causes.all()]
        topics += [course.name for course in measure.courses.all()]
        watch = recurrence.get(measure.pk)
        rows.append(
            [
                measure.title,
                ", ".join(topics) or "—",
                str(measure.owner),
                _day(measure.due_on),
                str(measure.get_status_display()),
                _day(measure.taken_on),
                _day(measure.check_due_on),
                _day(measure.checked_on),
                measure.check_method or "—",
                str(measure.get_check_result_display()) or "—",
                measure.check_note or "—",
                "—"
                if watch is None
                else _("%(before)s in %(before_days)s d / %(after)s in %(after_days)s d")
                % {
                    "before": watch.before,
                    "before_days": watch.windows.before_days,
                    "after": watch.after,
                    "after_days": watch.windows.after_days,
                },
            ]
        )
    return Document(
        title=_("Verbetermaatregelen en hun effect"),
        lead=_(
            "De maatregelen die in de periode in werking traden, en die nog niet in werking "
            "zijn en in de periode klaar moesten zijn: met eigenaar, status, de controle van "
            "het effect en de meldingen over hun oorzaken en cursussen ervoor en erna."
        ),
        facts=[(_("Aantal maatregelen"), str(len(measures)))],
        tables=[
            Table(
                _("Maatregelen"),
                [
                    _("Maatregel"),
                    _("Oorzaken en cursussen"),
                    _("Eigenaar"),
                    _("Klaar op"),
                    _("Status"),
                    _("In werking sinds"),
                    _("Effect controleren op"),
                    _("Gecontroleerd op"),
                    _("Hoe gecontroleerd"),
                    _("Resultaat"),
                    _("Toelichting"),
                    _("Meldingen ervoor / erna"),
                ],
                rows,
            )
        ],
    )


def _retention_document(proof: RetentionProof) -> Document:
    return Document(
        title=_("Bewaartermijn: bewijs (R5)"),
        lead=_(
            "Een afgesloten melding wordt minstens 1 jaar en hoogstens de ingestelde termijn "
            "bewaard; daarna haalt de nachtelijke ronde de persoonsgegevens en teksten weg, "
            "behalve zolang een geschil loopt. Deze cijfers zijn geteld bij het maken van dit "
            "pakket."
        ),
        facts=[
            (
                _("Ingestelde bewaartermijn na afsluiten"),
                _("%(years)s jaar") % {"years": proof.years},
            ),
            (_("Na de termijn"), proof.mode),
            (_("Meldingen geanonimiseerd, in totaal"), str(proof.anonymised_total)),
            (_("Meldingen geanonimiseerd in de periode"), str(proof.anonymised_in_period)),
            (
                _("Geanonimiseerd binnen een jaar na afsluiten (hoort 0 te zijn)"),
                str(proof.anonymised_within_a_year),
            ),
            (
                _("Termijn verstreken, wacht op de volgende nachtelijke ronde"),
                str(proof.past_term_kept),
            ),
            (
                _("Termijn verstreken, bewaard wegens lopend geschil (R11)"),
                str(proof.held_by_dispute),
            ),
            (_("Oudste melding met persoonsgegevens, ontvangen op"), _day(proof.oldest_received)),
            (
                _("Oudste afgesloten melding met persoonsgegevens, afgesloten op"),
                _day(proof.oldest_closed),
            ),
            (_("Klantmappen geanonimiseerd"), str(proof.customer_files_anonymised)),
        ],
        tables=[
            Table(
                _("Geanonimiseerd per dag in de periode"),
                [_("Dag"), _("Meldingen")],
                [[_day(day), str(count)] for day, count in proof.per_day],
            )
        ],
    )


@dataclass(frozen=True)
class EvidencePack:
    """A pack written to a file (a temporary one at its start, unless the caller gave one)."""

    file: IO[bytes]
    filename: str
    names: list[str]
    content_type: str = CONTENT_TYPE


def evidence_filename(first: date, last: date) -> str:
    return f"bewijspakket-{first:%Y-%m-%d}-{last:%Y-%m-%d}.zip"


def evidence_require_access(actor: Staff) -> None:
    """Management and the auditor (``may_see_figures``); anyone else is refused (R2)."""
    if not actor.may_see_figures:
        raise Forbidden(
            "management_only",
            gettext_lazy("Het bewijspakket is alleen voor de directie en de auditor."),
        )


def _register(actor: Staff | None, first: date, last: date, now: datetime) -> Register:
    if actor is None:
        return register_all(first=first, last=last, now=now, names=False)
    return register_for(staff=actor, first=first, last=last, now=now, names=False)


@dataclass(frozen=True)
class VersionInForce:
    """A version of the regulation and the part of the period it was in force (R17)."""

    number: int
    in_force_from: datetime
    until: datetime | None  # None: still in force now


def _regulation_versions(
    first: date, last: date, now: datetime
) -> list[tuple[Regulation, VersionInForce | None]]:
    """The versions of the regulation in force at some moment of the period, oldest first,
    each as it was kept (#16 item 7); none kept for the period: the text as it reads now."""
    start, end = day_start(first), day_start(last + timedelta(days=1))
    kept = regulation_versions()
    versions: list[tuple[Regulation, VersionInForce | None]] = []
    for index, version in enumerate(kept):
        until = kept[index + 1].in_force_from if index + 1 < len(kept) else None
        if version.in_force_from < end and (until is None or until > start):
            line = VersionInForce(version.number, version.in_force_from, until)
            versions.append((regulation_of_version(version), line))
    return versions or [(regulation_get(today=local_today(now)), None)]


def evidence_pack(
    *,
    first: date,
    last: date,
    actor: Staff | None,
    now: datetime,
    target: IO[bytes] | None = None,
) -> EvidencePack:
    """Write the evidence pack of the complaints received from ``first`` to ``last``
    (Amsterdam dates, both included; the caller checked the period) into ``target`` (by
    default a temporary file on disk, rewound; the caller closes it) and log it.

    ``actor`` None is the command line: the installation's operator. The register never
    carries customers' names and the dossiers are pseudonymised, so the pack may be handed to
    the auditor as it is (R2).
    """
    if actor is not None:
        evidence_require_access(actor)
    organisation = organisation_settings().name
    register = _register(actor, first, last, now)
    rows = register.count()
    sampled = auditing.sampled_in_period(first=first, last=last)
    placeholders = auditing.placeholders()
    dossiers = [
        (f"{FILES[DOSSIERS][0]}{complaint.reference}.pdf", complaint) for complaint in sampled
    ]
    measures = improvement_measures(taken_from=first, taken_until=last)
    versions = _regulation_versions(first, last, now)
    regulation = versions[0][0] if versions[0][1] is None else versions[-1][0]
    made_by = str(actor) if actor is not None else _("de beheerder, op de opdrachtregel")

    names = [COVER] + [FILES[key][0] for key in (REGULATION, REGISTER)]
    names += [name for name, _complaint in dossiers]
    names += [FILES[key][0] for key in (SATISFACTION, MEASURES, RETENTION)]

    points = [
        (
            point,
            [
                (key, FILES[key][0], str(FILES[key][1]))
                for key in point.evidence
                if key != DOSSIERS or dossiers
            ],
        )
        for point in AUDIT_POINTS
    ]
    cover = html_to_pdf(
        render_to_string(
            "ops/evidence/cover.html",
            {
                "organisation": organisation,
                "first": first,
                "last": last,
                "made_at": now,
                "made_by": made_by,
                "points": points,
                "files": FILES,
                "dossiers": [name for name, _complaint in dossiers],
                "rows": rows,
                "measures": len(measures),
                "regulation_title": regulation.title,
                "regulation_versions": [line for _text, line in versions if line is not None],
            },
        ),
        relative_links=True,
    )

    with (
        written_file(target) as out,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr(COVER, cover)
        archive.writestr(
            FILES[REGULATION][0],
            html_to_pdf(
                render_to_string(
                    "ops/evidence/regulation_versions.html",
                    {"versions": versions, "title": regulation.title},
                )
            ),
        )
        with tempfile.TemporaryFile() as sheet:
            register_xlsx(register, sheet)
            sheet.seek(0)
            with archive.open(FILES[REGISTER][0], "w") as entry:
                shutil.copyfileobj(sheet, entry)
        for name, complaint in dossiers:
            dossier = auditing.dossier(complaint=complaint, now=now, placeholders=placeholders)
            archive.writestr(
                name,
                html_to_pdf(
                    render_to_string(
                        "auditing/dossier_pdf.html",
                        {"dossier": dossier, "organisation": organisation, "made_at": now},
                    )
                ),
            )
        documents = (
            (
                SATISFACTION,
                _satisfaction_document(satisfaction_summary(first=first, last=last)),
            ),
            (MEASURES, _measures_document(measures, local_today(now))),
            (RETENTION, _retention_document(retention_proof(first=first, last=last, now=now))),
        )
        for key, document in documents:
            archive.writestr(FILES[key][0], _document_pdf(document, organisation, first, last))
    audit_append(
        complaint=None,
        actor=actor,
        action=EXPORTED,
        now=now,
        after={
            "from": first.isoformat(),
            "to": last.isoformat(),
            "rows": rows,
            "dossiers": len(dossiers),
            "measures": len(measures),
        },
    )
    return EvidencePack(file=out, filename=evidence_filename(first, last), names=names)
