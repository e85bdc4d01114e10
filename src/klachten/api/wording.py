"""``POST /api/v1/wording/check`` — the wording guard for customer-facing text (R12, R13)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from klachten.api.schemas.wording import WordingIn, WordingOut
from klachten.core.wording import finding_message, text_check

router = Router(tags=["wording"])


@router.post(
    "/check",
    response=WordingOut,
    summary="Check a customer-facing text",
    operation_id="checkWording",
)
def check(request: HttpRequest, payload: WordingIn) -> dict[str, object]:
    """All findings at once. ``start``/``end`` are character offsets into ``text``.

    R13 findings (*klacht*, *probleem*, *fout* and their forms; in English also *complaint*,
    *problem*, *fault*, *error*, *mistake*) block sending (``blocks``), also when written with
    hidden characters, a hyphenated line break or look-alike letters; R12 findings (blaming
    colleagues, the organisation, the computer or suppliers) are warnings that need a
    conscious confirmation; each names the ``party`` blamed and the ``words`` that weighed
    most, strongest first. ``ok`` is true when there are no findings, ``sendable`` when none
    blocks. ``language`` says which language was used: the one asked for, else the text's.
    """
    checked = text_check(text=payload.text, language=payload.language)
    return {
        "ok": checked.ok,
        "sendable": checked.sendable,
        "language": checked.language,
        "findings": [
            {
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "rule": f.rule,
                "code": f.code,
                "blocks": f.blocks,
                "message": finding_message(f),
                "suggestions": list(f.suggestions),
                "party": f.params.get("party") if f.rule == "R12" else None,
                "words": f.params["words"].split(", ") if f.params.get("words") else [],
            }
            for f in checked.findings
        ],
    }
