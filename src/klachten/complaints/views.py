"""The complaint screens (UX.md): intake, the complaint page and its steps, overview, klantmap.

Views are thin (STYLE.md, 3): they read the input, ask a selector for what the user may see
(R2: what they may not see is "not found"), call one service, and render. Every refusal of a
service is shown next to the field it concerns, and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from klachten.accounts.models import Staff
from klachten.complaints import selectors, services
from klachten.complaints.attachments import attachment_list, attachment_reads
from klachten.complaints.forms import (
    ActionPlanForm,
    AssignForm,
    CloseForm,
    ContactForm,
    CustomerFileForm,
    CustomerViewForm,
    DisputeForm,
    ExtendForm,
    FollowUpForm,
    OverviewForm,
    RulingForm,
    SolutionForm,
    TrainingForm,
)
from klachten.complaints.models import ActionItem, Complaint
from klachten.complaints.signals import complaint_page_opened
from klachten.complaints.texts import day_off_text, reason_text, step_text
from klachten.core.errors import (
    ApplicationError,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from klachten.core.forms import add_service_error
from klachten.core.prepared import Call, read_ahead
from klachten.customers.models import CustomerFile
from klachten.domain.lifecycle import (
    Status,
    Step,
    blocking_reasons,
    closing_steps,
)
from klachten.domain.urgency import TERM_WARNING
from klachten.organisation.selectors import (
    calendar_and_regulation_reads,
    courses_for_complaint,
    regulation_version_at,
    trainers_for_complaint,
    work_calendar,
)
from klachten.organisation.texts import days_text, working_days_text, working_hours_text


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST (even an empty one, as "Termijn verlengen" sends), else None."""
    return request.POST if request.method == "POST" else None


def _staff(request: HttpRequest) -> Staff:
    return cast(Staff, request.user)


def _not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    """R2: what a user may not see does not exist for them; a calm Dutch page, status 404."""
    return render(request, "complaints/not_found.html", {"detail": error.detail}, status=404)


def _complaint_url(complaint: Complaint, anchor: str = "") -> str:
    return reverse("complaints:detail", args=[complaint.reference]) + anchor


# --- Intake (R3–R6, R8, R14): the page itself is klachten.messaging.intake_views --------------


def _customer_lookup(staff: Staff, words: str) -> list[CustomerFile]:
    """The customer files ``staff`` may find with these words (R2), the look-up logged."""
    found = selectors.customer_files_search(staff=staff, words=words) if words else []
    services.customer_lookup_log(actor=staff, words=words, found=found, now=timezone.now())
    return found


def customer_choice(picked_id: str, params: Mapping[str, str], staff: Staff) -> dict[str, Any]:
    """The customer file picked so far and the files found for the search words."""
    picked = None
    if picked_id.isdigit():
        try:
            picked = selectors.customer_file_for_intake(
                customer_id=int(picked_id), staff=staff, now=timezone.now()
            )
        except NotFound:
            picked = None
    words = params.get("customer_search", "")
    found = _customer_lookup(staff, words)
    return {
        "picked": picked,
        "found": [customer for customer in found if picked is None or customer.pk != picked.pk],
        "searched": len(words.strip()) >= 2,
        "found_count": len(found),
    }


@login_required
@require_GET
def customer_search(request: HttpRequest) -> HttpResponse:
    """The intake's live search (htmx): customer files by name, postcode or e-mail (R5, R6)."""
    context = customer_choice(request.GET.get("customer_id", ""), request.GET, _staff(request))
    return render(request, "complaints/_customer_results.html", context)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@login_required
@require_GET
def date_check(request: HttpRequest) -> HttpResponse:
    """The live check of a date field (htmx): a warning when the date falls on a weekend, a
    public holiday or a closing day (issue #10: a warning, never a refusal). The date is the
    one value of the query that reads as YYYY-MM-DD, whatever the field is called."""
    values = [str(request.GET.get(name, "")) for name in request.GET]
    days = [day for value in values if (day := _day(value[:10])) is not None]
    warnings = [day_off_text(found.off, found.name) for found in selectors.days_off(days[:1])]
    return render(request, "complaints/_date_warning.html", {"warnings": warnings})


def _date_warnings(form: forms.Form) -> list[str]:
    """R9, R11: a warning for every date in the form, of a field that asks for it, that falls
    on a day off; shown after saving, for whoever works without the live check."""
    forms_ = [form, *(getattr(getattr(form, "actions", None), "forms", None) or ())]
    days = [
        value
        for each in forms_
        for name, field in each.fields.items()
        if getattr(field, "workday_check", False)
        and isinstance(value := getattr(each, "cleaned_data", {}).get(name), date)
    ]
    return [day_off_text(found.off, found.name) for found in selectors.days_off(days)]


# --- The complaint page ------------------------------------------------------------------------


def _step_context(
    complaint: Complaint, now: datetime, actions: list[ActionItem] | None = None
) -> dict[str, Any]:
    """The next step as one button, why it waits, and the other steps allowed now (UX.md).

    With the action plan at hand, its counts are taken from it instead of the database.
    """
    counts = (
        (len(actions), sum(action.done_at is None for action in actions))
        if actions is not None
        else None
    )
    steps = selectors.complaint_next_steps(complaint, now, action_counts=counts)
    if steps.awaiting_take_up:
        # R15: a report from the website is first taken up; that is its one next step.
        return {"next_step": None, "next_step_reasons": [], "other_steps": [], "unclaimed": True}
    main, others = steps.main, steps.allowed
    return {
        "next_step": main,
        "next_step_reasons": [reason_text(reason) for reason in steps.waits_for],
        "other_steps": [step for step in others if step != main],
        # R10: the follow-up check may also be asked of the customer on the status page.
        "may_request_follow_up": Step.CONFIRM_SOLVED in others
        and complaint.follow_up_requested_at is None
        and complaint.status_token_digest is not None,
    }


def _assign_form(
    complaint: Complaint, staff: Staff, people: list[Staff], data: Any = None
) -> AssignForm:
    return AssignForm(
        data,
        staff=people,
        categories=selectors.categories_active(),
        root_causes=selectors.root_causes_active(),
        may_reassign=services.complaint_may_reassign(actor=staff, complaint=complaint),
        unclaimed=complaint.receiver_id is None,
        initial={
            "handler": str(complaint.handler_id or ""),
            "category": str(complaint.category_id or ""),
            "root_cause": str(complaint.root_cause_id or ""),
            "booked_again": {v: k for k, v in services.BOOKED_AGAIN.items()}[
                complaint.booked_again
            ],
        },
    )


@login_required
@require_GET
def complaint_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The one place where a complaint is handled; viewing it is logged (R2)."""
    staff, now = _staff(request), timezone.now()
    people = selectors.staff_list()
    # The complaint and every list below name their people from this one read of the staff
    # (#17 item 2).
    staff_by_pk = {member.pk: member for member in people}
    try:
        complaint = selectors.complaint_get_for(
            staff=staff, reference=reference, staff_by_pk=staff_by_pk
        )
    except NotFound as error:
        return _not_found(request, error)
    services.complaint_read_log(complaint=complaint, actor=staff, now=now)
    # The page's reads after its one write, in one round trip on PostgreSQL (#17 item 3).
    # The apps above add what their parts of the page read (complaint_page_opened).
    their_reads = complaint_page_opened.send(sender=Complaint, complaint=complaint)
    with read_ahead(
        [
            *selectors.complaint_page_reads(complaint),
            *attachment_reads(complaint),
            *calendar_and_regulation_reads(),
            *(call for _receiver, calls in their_reads for call in cast(list[Call], calls)),
        ]
    ):
        return _complaint_page(request, complaint, staff, people, staff_by_pk, now)


def _complaint_page(
    request: HttpRequest,
    complaint: Complaint,
    staff: Staff,
    people: list[Staff],
    staff_by_pk: dict[int, Staff],
    now: datetime,
) -> HttpResponse:
    own = staff.pk  # once: ``request.user`` is a lazy object
    actions = selectors.complaint_actions(complaint, staff_by_pk)
    timeline = selectors.complaint_timeline(complaint, staff_by_pk)
    context = {
        "complaint": complaint,
        "now": now,
        "actions": actions,
        "contacts": selectors.complaint_contacts(complaint, staff_by_pk),
        "timeline": timeline,
        "answers": _customer_answers(timeline),
        "status_url": selectors.complaint_status_url(complaint),
        "attachments": attachment_list(complaint, staff_by_pk),
        "staff_by_pk": staff_by_pk,
        "assign_form": _assign_form(complaint, staff, people),
        "notes": selectors.complaint_notes(complaint, staff_by_pk),
        "account_requests": selectors.complaint_account_requests(complaint, staff_by_pk),
        "colleagues": [m for m in people if m.is_active and m.pk != own],
        "relink": _relink_choice(complaint, request.GET, staff),
        "calendar": work_calendar(),
        "regulation_version": regulation_version_at(complaint.received_at),  # R17, #16 item 7
        **_step_context(complaint, now, actions),
    }
    return render(request, "complaints/detail.html", context)


def _relink_choice(
    complaint: Complaint, params: Mapping[str, str], staff: Staff
) -> dict[str, Any] | None:
    """R5, R6: while the customer's NAW is unchecked (a report by e-mail or from the website),
    the files found for the search words, to file the complaint in the customer's own file."""
    if complaint.customer.naw_checked_at is not None or complaint.status == Status.CLOSED:
        return None
    words = params.get("klant_zoeken", "").strip()
    found = _customer_lookup(staff, words)
    return {
        "words": words,
        "searched": len(words) >= 2,
        "found": [customer for customer in found if customer.pk != complaint.customer_id],
    }


def _customer_answers(timeline: list[selectors.TimelineEntry]) -> dict[str, bool]:
    """Whether the latest view on the solution (R7) and the latest follow-up answer (R10)
    were given by the customer themself, on the status page."""
    latest: dict[str, bool] = {}
    kinds = {
        Step.ACCEPT_SOLUTION: "view",
        Step.REJECT_SOLUTION: "view",
        Step.CONFIRM_SOLVED: "follow_up",
        Step.REPORT_UNSOLVED: "follow_up",
    }
    for entry in timeline:  # newest first
        kind = kinds.get(entry.action)  # type: ignore[call-overload]
        if kind is not None and kind not in latest:
            latest[kind] = entry.after.get("by") == services.BY_CUSTOMER
    return latest


def _posted_service(
    request: HttpRequest,
    reference: str,
    run: Callable[[Complaint, Staff, datetime], object],
    done: str,
    anchor: str = "",
) -> HttpResponseBase:
    """A button on the complaint page: one service, then back with what happened."""
    staff = _staff(request)
    try:
        complaint = selectors.complaint_get_for(staff=staff, reference=reference)
    except NotFound as error:
        return _not_found(request, error)
    try:
        run(complaint, staff, timezone.now())
    except services.StepRefused as error:
        messages.error(request, " ".join(reason_text(reason) for reason in error.reasons))
    except ApplicationError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, done)
    return redirect(_complaint_url(complaint, anchor))


@login_required
@require_POST
def complaint_take_up(request: HttpRequest, reference: str) -> HttpResponseBase:
    """R15: take up a report from the website; the first one to do so becomes its receiver.

    Whoever comes second is told who was first; when the report is no longer theirs to see
    (R2), they go back to the reports still to be taken up instead of a "not found".
    """
    staff = _staff(request)
    try:
        complaint = selectors.complaint_get_for_take_up(staff=staff, reference=reference)
        services.complaint_take_up(complaint=complaint, actor=staff, now=timezone.now())
    except NotFound as error:
        return _not_found(request, error)
    except ApplicationError as error:
        messages.error(request, error.detail)
        try:
            selectors.complaint_get_for(staff=staff, reference=reference)
        except NotFound:
            return redirect(reverse("complaints:overview") + "?op_te_pakken=1")
        return redirect(_complaint_url(complaint))
    messages.success(
        request, _("U heeft deze melding opgepakt: u bent nu ontvanger en behandelaar.")
    )
    return redirect(_complaint_url(complaint))


@login_required
@require_POST
def follow_up_request(request: HttpRequest, reference: str) -> HttpResponseBase:
    """R10: ask the customer on their status page whether it is really solved."""
    return _posted_service(
        request,
        reference,
        lambda c, staff, now: services.complaint_request_follow_up(
            complaint=c, actor=staff, now=now
        ),
        _("De vraag staat op de statuspagina van de klant."),
        "#volgende-stap",
    )


@login_required
@require_POST
def status_link_renew(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Revoke the customer's status link: a new one replaces it (R2)."""
    send = request.POST.get("versturen") == "ja"
    return _posted_service(
        request,
        reference,
        lambda c, staff, now: services.complaint_status_link_renew(
            complaint=c, actor=staff, send=send, now=now
        ),
        _("Er is een nieuwe statuslink; de vorige werkt niet meer."),
        "#statuspagina",
    )


@login_required
@require_POST
def naw_check(request: HttpRequest, reference: str) -> HttpResponseBase:
    """R6: the employee checked NAW with the customer."""
    return _posted_service(
        request,
        reference,
        lambda c, staff, now: services.customer_naw_check(complaint=c, actor=staff, now=now),
        _("NAW is gecontroleerd met de klant."),
    )


@login_required
@require_POST
def customer_relink(request: HttpRequest, reference: str) -> HttpResponseBase:
    """R5, R6: file the complaint in the customer's existing file."""
    picked = request.POST.get("customer_id", "")
    if not picked.isdigit():
        messages.error(request, _("Kies eerst een klantmap."))
        return redirect(reverse("complaints:detail", args=[reference]) + "#klant")
    return _posted_service(
        request,
        reference,
        lambda c, staff, now: services.complaint_customer_change(
            complaint=c, customer_id=int(picked), actor=staff, now=now
        ),
        _("De melding staat nu in de klantmap van deze klant."),
        "#klant",
    )


@login_required
@require_POST
def note_add(request: HttpRequest, reference: str) -> HttpResponseBase:
    """A note for staff only (#13; R10: a colleague's account is one)."""
    text = request.POST.get("text", "")
    return _posted_service(
        request,
        reference,
        lambda c, staff, now: services.note_add(complaint=c, author=staff, text=text, now=now),
        _("De notitie staat bij de melding. De klant ziet haar niet."),
        "#notities",
    )


@login_required
@require_POST
def account_ask(request: HttpRequest, reference: str) -> HttpResponseBase:
    """R10: ask a colleague for their side of what happened."""
    picked = request.POST.get("asked_of", "")
    colleague = next(
        (m for m in selectors.staff_list() if str(m.pk) == picked and m.is_active), None
    )
    if colleague is None:
        messages.error(request, _("Kies de collega die u om een verklaring vraagt."))
        return redirect(reverse("complaints:detail", args=[reference]) + "#notities")
    question = request.POST.get("question", "")
    return _posted_service(
        request,
        reference,
        lambda c, staff, now: services.account_request(
            complaint=c, asked_by=staff, asked_of=colleague, question=question, now=now
        ),
        _("%(name)s is om een verklaring gevraagd en kan de melding inzien tot het antwoord er is.")
        % {"name": colleague},
        "#notities",
    )


@login_required
@require_POST
def action_done(request: HttpRequest, reference: str, action_id: int) -> HttpResponseBase:
    """R9: tick an action item as done."""
    try:
        action = selectors.action_get_for(
            staff=_staff(request), reference=reference, action_id=action_id
        )
    except NotFound as error:
        return _not_found(request, error)
    services.action_mark_done(action=action, actor=_staff(request), now=timezone.now())
    messages.success(request, _("Actie afgerond: %(what)s") % {"what": action.what})
    return redirect(_complaint_url(action.complaint, "#actieplan"))


@login_required
@require_http_methods(["GET", "POST"])
def complaint_assign(request: HttpRequest, reference: str) -> HttpResponseBase:
    """Handler (R15), category and root cause; the receiver stays attached."""
    staff = _staff(request)
    try:
        complaint = selectors.complaint_get_for(staff=staff, reference=reference)
    except NotFound as error:
        return _not_found(request, error)
    form = _assign_form(complaint, staff, selectors.staff_list(), _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_assign(
                complaint=complaint,
                actor=staff,
                now=timezone.now(),
                **form.changes(handler=complaint.handler),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Toewijzing en indeling opgeslagen."))
            return redirect(_complaint_url(complaint))
    services.complaint_read_log(complaint=complaint, actor=staff, now=timezone.now())  # R2
    return render(request, "complaints/assign.html", {"complaint": complaint, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def complaint_training(request: HttpRequest, reference: str) -> HttpResponseBase:
    """What the complaint concerns: course, trainer, where and when (#16 item 1)."""
    staff = _staff(request)
    try:
        complaint = selectors.complaint_get_for(staff=staff, reference=reference)
    except NotFound as error:
        return _not_found(request, error)
    form = TrainingForm(
        _posted(request),
        courses=courses_for_complaint(complaint.course_id),
        trainers=trainers_for_complaint(complaint.trainer_id),
        initial={
            "course": str(complaint.course_id or ""),
            "trainer": str(complaint.trainer_id or ""),
            "training_location": complaint.training_location,
            "training_date": complaint.training_date,
            "course_text": complaint.course_text,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_training_update(
                complaint=complaint, actor=staff, training=form.training(), now=timezone.now()
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Cursus en training opgeslagen."))
            return redirect(_complaint_url(complaint, "#training"))
    services.complaint_read_log(complaint=complaint, actor=staff, now=timezone.now())  # R2
    return render(request, "complaints/training.html", {"complaint": complaint, "form": form})


# --- The handling steps ------------------------------------------------------------------------

Run = Callable[[Complaint, Staff, dict[str, Any], forms.Form, datetime], Complaint]


SAVED = gettext_lazy("Opgeslagen.")


@dataclass(frozen=True)
class StepPage:
    """One form page for the steps that share a form (UX.md: every step has its form).

    ``steps`` are the lifecycle steps the page serves; ``choice`` names the field (and the
    query parameter that pre-fills it) that says which of them is taken.
    """

    title: Promise
    intro: Promise
    submit: Promise
    steps: tuple[Step, ...]
    form: type[forms.Form]
    run: Run
    choice: tuple[str, str] = ("", "")
    step_of_choice: Mapping[str, Step] = field(default_factory=dict)
    checked: tuple[str, ...] = ()
    needs_staff: bool = False
    # The short confirmation after the step, in plain words (UX.md: not a log line).
    done: Promise = SAVED
    # A step that concerns the customer: "stuur dit ook aan de klant" opens this standard
    # message (its slug) after saving.
    send_to_customer: str = ""

    def chosen_step(self, value: str | None) -> Step:
        return self.step_of_choice.get(value or "", self.steps[0])


def _step_intro(page: StepPage, complaint: Complaint, now: datetime) -> str:
    """The page's intro with the terms this complaint's deadlines were computed with (R3, R16),
    and on the ruling's page the short term for its consequences (R11, a setting)."""
    values = {
        "contact": working_hours_text(complaint.contact_working_hours),
        "delay_notice": days_text(complaint.delay_notice_days),
        "settlement": days_text(complaint.settlement_days),
    }
    if page.form is RulingForm:
        latest, working_days = services.ruling_consequence_latest(now)
        values["consequence"] = working_days_text(working_days)
        values["consequence_latest"] = date_format(latest, "l j F Y")
    return str(page.intro) % values


def _yes(value: str) -> bool:
    return value == "ja"


STEP_PAGES: Mapping[str, StepPage] = {
    "contact": StepPage(
        done=gettext_lazy("Het contact en de afgesproken termijn staan in het dossier."),
        send_to_customer="contactverslag",  # R3: the agreed term, in writing
        title=gettext_lazy("Contact opnemen en termijn afspreken"),
        intro=gettext_lazy(
            "Neem in overleg met de directie binnen %(contact)s contact op met de klant en "
            "spreek een termijn af waarop de klant een antwoord of oplossing kan verwachten."
        ),
        submit=gettext_lazy("Contact vastleggen"),
        steps=(Step.CONTACT,),
        form=ContactForm,
        run=lambda c, actor, d, _f, now: services.complaint_contact(
            complaint=c,
            actor=actor,
            at=d["at"],
            channel=d["channel"],
            summary=d["summary"],
            agreed_term=d["agreed_term"],
            management_consulted=d["management_consulted"],
            now=now,
        ),
    ),
    "acties": StepPage(
        done=gettext_lazy("Het actieplan staat in het dossier."),
        send_to_customer="actieplan",  # R9: what, who, when
        title=gettext_lazy("Actieplan maken"),
        intro=gettext_lazy(
            "Zeg wat er gebeurt, wie het doet en wanneer het klaar is. De klant ziet het "
            "actieplan in deze vorm. Lege regels worden overgeslagen."
        ),
        submit=gettext_lazy("Actieplan opslaan"),
        steps=(Step.PLAN_ACTIONS,),
        form=ActionPlanForm,
        run=lambda c, actor, _d, f, now: services.complaint_plan_actions(
            complaint=c, actor=actor, actions=cast(ActionPlanForm, f).planned(), now=now
        ),
        needs_staff=True,
    ),
    # "uitstelbericht" is a message to the customer: klachten.messaging serves it.
    "verlengen": StepPage(
        done=gettext_lazy("De termijn is verlengd."),
        title=gettext_lazy("Termijn verlengen"),
        intro=gettext_lazy(
            "De afhandeltermijn schuift op naar de verwachte datum uit het uitstelbericht. Dat "
            "kan alleen na een uitstelbericht binnen %(delay_notice)s na ontvangst."
        ),
        submit=gettext_lazy("Termijn verlengen"),
        steps=(Step.EXTEND,),
        form=ExtendForm,
        run=lambda c, actor, _d, _f, now: services.complaint_extend(
            complaint=c, actor=actor, now=now
        ),
    ),
    "oplossing": StepPage(
        done=gettext_lazy("De oplossing staat in het dossier."),
        send_to_customer="oplossing",  # R7: the solution, for the customer's view
        title=gettext_lazy("Oplossing voorleggen"),
        intro=gettext_lazy(
            "Leg de oplossing aan de klant voor; de klant denkt mee voordat die definitief is."
        ),
        submit=gettext_lazy("Oplossing voorleggen"),
        steps=(Step.PROPOSE_SOLUTION,),
        form=SolutionForm,
        run=lambda c, actor, d, _f, now: services.complaint_propose_solution(
            complaint=c, actor=actor, solution=d["solution"], now=now
        ),
        checked=("solution",),
    ),
    "mening": StepPage(
        done=gettext_lazy("De mening van de klant staat in het dossier."),
        title=gettext_lazy("Mening van de klant vastleggen"),
        intro=gettext_lazy("Wat vindt de klant van de voorgestelde oplossing?"),
        submit=gettext_lazy("Mening vastleggen"),
        steps=(Step.ACCEPT_SOLUTION, Step.REJECT_SOLUTION),
        form=CustomerViewForm,
        run=lambda c, actor, d, _f, now: services.complaint_record_view(
            complaint=c, actor=actor, agrees=_yes(d["agrees"]), note=d["note"], now=now
        ),
        choice=("agrees", "akkoord"),
        step_of_choice={"ja": Step.ACCEPT_SOLUTION, "nee": Step.REJECT_SOLUTION},
    ),
    "nacontrole": StepPage(
        done=gettext_lazy("De nacontrole staat in het dossier."),
        title=gettext_lazy("Nacontrole"),
        intro=gettext_lazy(
            "Vraag de klant of het echt is opgelost, voordat de melding als opgelost wordt "
            "afgesloten."
        ),
        submit=gettext_lazy("Nacontrole vastleggen"),
        steps=(Step.CONFIRM_SOLVED, Step.REPORT_UNSOLVED),
        form=FollowUpForm,
        run=lambda c, actor, d, _f, now: services.complaint_follow_up(
            complaint=c, actor=actor, solved=_yes(d["solved"]), note=d["note"], now=now
        ),
        choice=("solved", "opgelost"),
        step_of_choice={"ja": Step.CONFIRM_SOLVED, "nee": Step.REPORT_UNSOLVED},
    ),
    "afsluiten": StepPage(
        done=gettext_lazy("De melding is afgesloten."),
        title=gettext_lazy("Afsluiten"),
        intro=gettext_lazy(
            "Als opgelost afsluiten kan pas na de mening van de klant, de nacontrole "
            "en met alle acties afgerond."
        ),
        submit=gettext_lazy("Melding afsluiten"),
        steps=(Step.CLOSE_SOLVED, Step.CLOSE_UNSOLVED, Step.WITHDRAW, Step.CLOSE_AFTER_RULING),
        form=CloseForm,
        run=lambda c, actor, d, _f, now: services.complaint_close(
            complaint=c, actor=actor, outcome=d["outcome"], note=d["note"], now=now
        ),
        choice=("outcome", "uitkomst"),
        step_of_choice=services.CLOSING_STEPS,
    ),
    "geschil": StepPage(
        done=gettext_lazy("De melding ligt nu bij de onafhankelijke derde."),
        title=gettext_lazy("Voorleggen aan de onafhankelijke derde"),
        intro=gettext_lazy(
            "Bij een geschil mag de klant een onafhankelijke derde inschakelen; diens uitspraak "
            "is bindend."
        ),
        submit=gettext_lazy("Geschil vastleggen"),
        steps=(Step.REFER_TO_DISPUTE,),
        form=DisputeForm,
        run=lambda c, actor, d, _f, now: services.complaint_refer_to_dispute(
            complaint=c, actor=actor, note=d["note"], now=now
        ),
    ),
    "uitspraak": StepPage(
        done=gettext_lazy("De uitspraak staat in het dossier."),
        title=gettext_lazy("Uitspraak vastleggen"),
        intro=gettext_lazy(
            "De uitspraak van de onafhankelijke derde is bindend. Leg de gevolgen vast als "
            "acties met korte termijnen: Kerngroep handelt ze snel af. Elk gevolg is "
            "binnen %(consequence)s gedaan, uiterlijk %(consequence_latest)s; een gevolg zonder "
            "datum krijgt die dag."
        ),
        submit=gettext_lazy("Uitspraak vastleggen"),
        steps=(Step.RECORD_RULING,),
        form=RulingForm,
        run=lambda c, actor, d, f, now: services.complaint_record_ruling(
            complaint=c,
            actor=actor,
            text=d["text"],
            consequences=cast(RulingForm, f).planned(),
            ruled_on=d["ruled_on"],
            now=now,
        ),
        needs_staff=True,
    ),
}


def _step_form(
    page: StepPage, request: HttpRequest, complaint: Complaint, now: datetime
) -> forms.Form:
    kwargs: dict[str, Any] = {}
    if page.needs_staff:
        kwargs["staff"] = selectors.staff_list()
    if page.form is RulingForm:
        kwargs["default_due"] = services.ruling_consequence_default(timezone.now())
    if page.form is CloseForm:
        # Only the outcomes the lifecycle allows now (no "na de uitspraak" without a ruling).
        allowed = closing_steps(Status(complaint.status), selectors.complaint_facts(complaint), now)
        kwargs["offered"] = [
            outcome for outcome, step in services.CLOSING_STEPS.items() if step in allowed
        ]
    field_name, parameter = page.choice
    if field_name and parameter in request.GET:
        kwargs["initial"] = {field_name: request.GET[parameter]}
    return page.form(_posted(request), **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_step(request: HttpRequest, reference: str, slug: str) -> HttpResponseBase:
    """One handling step: its form, why it waits if it does (StepRefused), the result."""
    staff, now = _staff(request), timezone.now()
    page = STEP_PAGES.get(slug)
    try:
        if page is None:
            raise NotFound("not_found", gettext_lazy("Deze pagina bestaat niet."))
        complaint = selectors.complaint_get_for(staff=staff, reference=reference)
    except NotFound as error:
        return _not_found(request, error)
    form = _step_form(page, request, complaint, now)
    refused: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            page.run(complaint, staff, form.cleaned_data, form, now)
        except services.StepRefused as error:
            refused = [reason_text(reason) for reason in error.reasons]
        except InvalidInput as error:
            add_service_error(form, error)
        except NotAllowed as error:
            refused = [error.detail]
        else:
            messages.success(request, str(page.done))
            for warning in _date_warnings(form):
                messages.warning(request, warning)
            if page.send_to_customer and request.POST.get("ook_aan_klant"):
                # R3, R7, R9: the customer hears of it in the standard message, checked (R13).
                return redirect(
                    "messaging:compose",
                    reference=complaint.reference,
                    slug=page.send_to_customer,
                )
            return redirect(_complaint_url(complaint))
    services.complaint_read_log(complaint=complaint, actor=staff, now=now)  # R2: shown again
    if request.method == "GET" or (not refused and form.errors.get(page.choice[0])):
        # Before typing, or an outcome the form no longer offers: say why it must wait.
        chosen = page.chosen_step(_choice_value(page, form, request))
        facts = selectors.complaint_facts(complaint)
        refused = [
            reason_text(reason)
            for reason in blocking_reasons(Status(complaint.status), chosen, facts, now)
        ]
    context = {
        "complaint": complaint,
        "page": page,
        "intro": _step_intro(page, complaint, now),
        "slug": slug,
        "form": form,
        "refused": refused,
        "refused_step": step_text(page.chosen_step(_choice_value(page, form, request))),
        # "Stuur dit ook aan de klant": on by default, as the customer last chose on a redo.
        "send_also": bool(page.send_to_customer)
        and bool(complaint.customer.email or complaint.customer.street),
        "send_also_checked": request.method == "GET" or bool(request.POST.get("ook_aan_klant")),
    }
    return render(request, "complaints/step.html", context)


def _choice_value(page: StepPage, form: forms.Form, request: HttpRequest) -> str | None:
    field_name, parameter = page.choice
    if not field_name:
        return None
    if form.is_bound:
        return str(form.data.get(field_name, ""))
    return request.GET.get(parameter)


# --- The overview ------------------------------------------------------------------------------


def _overview_filter(form: OverviewForm, now: datetime) -> selectors.OverviewFilter:
    data = form.cleaned_data if form.is_valid() else {}
    return selectors.OverviewFilter(
        mine=bool(data.get("mijn")),
        unclaimed=bool(data.get("op_te_pakken")),
        status=data.get("status") or "",
        overdue=bool(data.get("te_laat")),
        category_id=data.get("categorie") or None,
        search=data.get("zoek") or "",
        include_closed=bool(data.get("afgesloten")),
        soon_until=now + TERM_WARNING if data.get("bijna") else None,
        order=data.get("sorteer") or "",
    )


def _page_link(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["pagina"] = str(number)
    return "?" + query.urlencode()


@login_required
@require_GET
def overview(request: HttpRequest) -> HttpResponseBase:
    """Open complaints, the nearest deadline first, one line each; counts on top that filter
    (UX.md, #14). A search that is exactly the reference of a complaint one may see opens it.
    htmx asks for the list alone (filters applied as they change, and a poll that shows a new
    complaint without a reload)."""
    staff, now = _staff(request), timezone.now()
    form = OverviewForm(request.GET or None, categories=selectors.categories_active())
    filters = _overview_filter(form, now)
    number = (form.cleaned_data.get("pagina") if form.is_valid() else None) or 1
    words = filters.search.strip().upper()
    if words.startswith("KG-") and not request.headers.get("HX-Request"):
        found = selectors.complaint_reference_visible(staff=staff, reference=words)
        if found:
            return redirect("complaints:detail", reference=found)
    size = selectors.PAGE_SIZE
    rows = selectors.complaint_overview(
        staff=staff, filters=filters, now=now, limit=size + 1, offset=(number - 1) * size
    )
    context = {
        "form": form,
        "filters": filters,
        "complaints": rows[:size],
        "now": now,
        "calendar": work_calendar(),
        "page_number": number,
        "previous_link": _page_link(request, number - 1) if number > 1 else "",
        "next_link": _page_link(request, number + 1) if len(rows) > size else "",
        "sort_links": _sort_links(request, filters),
        "counts": selectors.overview_counts(staff=staff, now=now, soon_until=now + TERM_WARNING),
        "current_count": _current_count(request),
    }
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        return render(request, "complaints/_overview_list.html", context)
    return render(request, "complaints/overview.html", context)


def _current_count(request: HttpRequest) -> str:
    """Which count card is the filter now applied, so it shows as chosen."""
    params = request.GET
    for name, param, value in (
        ("new", "status", "new"),
        ("in_dispute", "status", "in_dispute"),
        ("overdue", "te_laat", "1"),
        ("soon", "bijna", "1"),
        ("unclaimed", "op_te_pakken", "1"),
    ):
        if params.get(param) == value:
            return name
    return ""


def _sort_links(request: HttpRequest, filters: selectors.OverviewFilter) -> dict[str, Any]:
    """Per sortable column: the link that sorts by it (again: the other way round) and its
    ``aria-sort`` state."""
    current = filters.order or ("" if filters.include_closed else "termijn")
    links = {}
    for name in selectors.OVERVIEW_ORDERS:
        query = request.GET.copy()
        query.pop("pagina", None)
        ascending = current == name
        query["sorteer"] = f"-{name}" if ascending else name
        state = (
            "ascending" if current == name else "descending" if current == f"-{name}" else "none"
        )
        links[name] = {"url": "?" + query.urlencode(), "state": state}
    return links


# --- The customer file (R5) --------------------------------------------------------------------


def _back_to(request: HttpRequest, fallback: str) -> str:
    """Where to go after saving: the page the user came from (``terug``), if it is ours."""
    back = request.POST.get("terug") or request.GET.get("terug") or ""
    if back.startswith("/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
def customer_file_edit(request: HttpRequest, customer_id: int) -> HttpResponseBase:
    """Correct a customer file (R6): the intake's fields and checks, the check with the
    customer again, logged (R2); only for staff who may see the file (R2: else not found)."""
    staff = _staff(request)
    try:
        customer, _complaints = selectors.customer_file_get_for(
            staff=staff, customer_id=customer_id
        )
        if customer.anonymised_at is not None:
            raise NotFound("not_found", gettext_lazy("De gegevens van deze klant zijn gewist."))
    except NotFound as error:
        return _not_found(request, error)
    file_url = reverse("complaints:customer-file", args=[customer.pk])
    form = CustomerFileForm(_posted(request))
    if not form.is_bound:
        form = CustomerFileForm(
            initial={name: getattr(customer, name, "") for name in form.fields}
            | {"naw_checked": False}
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_file_update(
                customer=customer,
                actor=staff,
                data=form.customer_data(),
                naw_checked=form.cleaned_data["naw_checked"],
                now=timezone.now(),
            )
        except ApplicationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("De klantmap is bijgewerkt."))
            return redirect(_back_to(request, file_url))
    context = {
        "customer": customer,
        "form": form,
        "back": _back_to(request, ""),
        "file_url": file_url,
    }
    return render(request, "complaints/customer_edit.html", context)


@login_required
@require_GET
def customer_file(request: HttpRequest, customer_id: int) -> HttpResponse:
    """A customer's NAW, who checked it and when (R6), and the complaints the user may see."""
    try:
        customer, complaints = selectors.customer_file_get_for(
            staff=_staff(request), customer_id=customer_id
        )
    except NotFound as error:
        return _not_found(request, error)
    now = timezone.now()
    services.customer_file_read_log(
        customer=customer, complaints=complaints, actor=_staff(request), now=now
    )
    return render(
        request,
        "complaints/customer_file.html",
        {"customer": customer, "complaints": complaints, "now": now},
    )
