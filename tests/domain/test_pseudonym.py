"""The auditor's dossier carries no customer's name, address, e-mail or phone (#16 item 4)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from klachten.domain.pseudonym import Person, pseudonymise

BAKKER = Person(
    name="Mevrouw A. Bakker",
    street="Lindenlaan",
    house_number="12a",
    postcode="3512 AB",
    town="Utrecht",
    email="a.bakker@example.nl",
    phone="030 123 4567",
)


def test_what_the_file_says_is_replaced_in_any_case_and_spacing() -> None:
    text = (
        "Geachte mevrouw BAKKER, wij belden u op 030-1234567 en mailden A.Bakker@Example.nl. "
        "Uw adres: Lindenlaan  12a, 3512ab Utrecht."
    )
    out = pseudonymise(text, [BAKKER])
    assert out == (
        "Geachte mevrouw [klant], wij belden u op [telefoonnummer] en mailden [e-mailadres]. "
        "Uw adres: [adres], [postcode] Utrecht."
    )


def test_anyone_elses_contact_details_go_too() -> None:
    out = pseudonymise("Haar man belt terug op +31 6 1234 5678 (jan@voorbeeld.nl).", [BAKKER])
    assert out == "Haar man belt terug op [telefoonnummer] ([e-mailadres])."


def test_dates_references_and_numbers_stay() -> None:
    text = (
        "Op 02-11-2026 om 10:00 (KG-2026-00012) is het certificaat verstuurd; in 2026 is dat "
        "3 keer gebeurd, 28 dagen na 1 april. Niveau B1 in 2025, 4 dagdelen."
    )
    assert pseudonymise(text, [BAKKER]) == text


NAMES = st.sampled_from(
    ["Anja de Boer", "Mohammed El Idrissi", "Jan-Willem van der Berg", "Sophie Jansen", "Iris Ng"]
)
FILLER = st.sampled_from(
    [
        "Wij hebben contact opgenomen.",
        "Het certificaat is verstuurd.",
        "Op 3 maart 2026 belde",
        "terug over de training Excel",
        "en vroeg om een nieuwe datum.",
    ]
)


@given(
    name=NAMES,
    email_user=st.from_regex(r"[a-z]{3,8}\.[a-z]{3,8}", fullmatch=True),
    phone=st.from_regex(r"06-[1-9][0-9]{7}", fullmatch=True),
    words=st.lists(FILLER, min_size=1, max_size=4),
)
def test_no_part_of_the_customer_survives(name, email_user, phone, words) -> None:
    person = Person(name=name, email=f"{email_user}@example.nl", phone=phone)
    surname = name.split()[-1]
    text = " ".join(
        [*words, f"Mevrouw {surname} ({person.email}, {phone}) zei:", name.upper(), *words]
    )

    out = pseudonymise(text, [person])

    assert person.email.lower() not in out.lower()
    assert re.sub(r"\D", "", phone) not in re.sub(r"\D", "", out)
    for part in name.split():
        if len(part) >= 3 and part.lower() not in {"van", "der", "den"}:
            assert not re.search(rf"(?<!\w){re.escape(part)}(?!\w)", out, re.IGNORECASE)
    # What was not about the customer is still there.
    for sentence in words:
        assert sentence in out
