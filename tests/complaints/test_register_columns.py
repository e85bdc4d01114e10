"""How an institute's own register reads (#16 item 5): its headers in Dutch or English, however
written, and its dates, channels and outcomes. Pure functions: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klachten.complaints.register_columns import (
    COLUMNS,
    cell_text,
    column_of,
    columns_map,
    full_name,
    header_key,
    header_score,
    parse_channel,
    parse_moment,
    parse_outcome,
    split_street,
)

# --- Headers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Ontvangen", "received"),
        ("ontvangen op", "received"),
        ("Received", "received"),
        ("Datum", "received"),
        ("date", "received"),
        ("Naam", "name"),
        ("NAME", "name"),
        ("Voornaam", "first_name"),
        ("Achternaam", "last_name"),
        ("Straat", "street"),
        ("street", "street"),
        ("Huisnummer", "house_number"),
        ("House number", "house_number"),
        ("Postcode", "postcode"),
        ("Postal code", "postcode"),
        ("Plaats", "town"),
        ("Woonplaats", "town"),
        ("City", "town"),
        ("E-mail", "email"),
        ("e mail", "email"),
        ("Email", "email"),
        ("Telefoon", "phone"),
        ("Phone", "phone"),
        ("Kanaal", "channel"),
        ("channel", "channel"),
        ("Verslag", "report"),
        ("Omschrijving", "report"),
        ("Description", "report"),
        ("report", "report"),
        ("Cursus", "course"),
        ("Course", "course"),
        ("Trainer", "trainer"),
        ("Docent", "trainer"),
        ("Categorie", "category"),
        ("Category", "category"),
        ("Catégorie", "category"),
        ("Afgehandeld", "closed"),
        ("Closed", "closed"),
        ("Uitkomst", "outcome"),
        ("Outcome", "outcome"),
    ],
)
def test_a_header_is_known_by_its_dutch_or_english_name(header, field):
    assert column_of(header) == field


@given(
    st.sampled_from([key for keys in COLUMNS.values() for key in keys]),
    st.lists(st.sampled_from([" ", "-", "_", ".", "\t"]), max_size=3),
    st.booleans(),
)
def test_case_spaces_and_punctuation_never_change_what_a_header_names(key, noise, upper):
    """However a person writes a known header — "E-mail", " EMAIL ", "e_mail" — it names the
    same field."""
    written = "".join(noise) + (key.upper() if upper else key) + "".join(reversed(noise))
    middle = len(written) // 2
    written = written[:middle] + "".join(noise) + written[middle:]
    assert column_of(written) == column_of(key) is not None


@given(st.text(alphabet="aeiouéèëêáàäâíìïîóòöôúùüûç", min_size=1, max_size=12))
def test_accents_do_not_matter(word):
    plain = header_key(word)
    assert plain.isascii()
    assert header_key(plain) == plain


def test_the_header_line_maps_columns_and_names_what_it_leaves_out():
    mapped = columns_map(["Ontvangen", "Naam", "Opmerking intern", "", "Postcode", "Plaats"])
    assert mapped.columns == {"received": 0, "name": 1, "postcode": 4, "town": 5}
    assert mapped.ignored == ["Opmerking intern"]
    assert mapped.missing() == ["report", "street"]
    assert mapped.header("name") == "Naam"


def test_a_name_in_parts_is_enough_and_a_field_named_twice_is_noted():
    mapped = columns_map(["Datum", "Voornaam", "Achternaam", "Ontvangen"])
    assert "name" not in mapped.missing()
    assert mapped.doubled == {"received": ["Datum", "Ontvangen"]}


def test_the_score_counts_the_fields_a_line_names():
    assert header_score(["Ontvangen", "Naam", "Verslag", "x"]) == 3
    assert header_score(["Klachtenregister 2025", None, None]) == 0


# --- Dates -------------------------------------------------------------------------------------


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_a_date_reads_in_dutch_order_and_in_iso(day):
    """dd-mm-jjjj, d-m-jjjj, with - / or ., and ISO: the same day."""
    for text in (
        f"{day.day:02d}-{day.month:02d}-{day.year}",
        f"{day.day}-{day.month}-{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day}.{day.month}.{day.year}",
        day.isoformat(),
    ):
        assert parse_moment(text) == day, text


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)).map(
        lambda moment: moment.replace(microsecond=0)
    )
)
def test_a_moment_keeps_its_time(moment):
    assert parse_moment(moment.strftime("%d-%m-%Y %H:%M:%S")) == moment
    assert parse_moment(moment.isoformat(sep=" ")) == moment
    if moment.time() != time():
        assert parse_moment(moment) == moment  # an Excel cell with a time


def test_an_excel_date_cell_without_a_time_is_a_date():
    assert parse_moment(datetime(2025, 3, 4)) == date(2025, 3, 4)
    assert parse_moment(date(2025, 3, 4)) == date(2025, 3, 4)


def test_an_iso_moment_keeps_its_offset():
    assert parse_moment("2025-03-04T14:30:00+01:00") == datetime(
        2025, 3, 4, 14, 30, tzinfo=timezone(timedelta(hours=1))
    )
    assert parse_moment("2025-03-04T13:30Z") == datetime(2025, 3, 4, 13, 30, tzinfo=UTC)


def test_a_date_in_words_reads_in_dutch_and_english():
    assert parse_moment("3 maart 2025") == date(2025, 3, 3)
    assert parse_moment("3 mrt. 2025") == date(2025, 3, 3)
    assert parse_moment("3 March 2025") == date(2025, 3, 3)


def test_an_empty_cell_is_no_date():
    assert parse_moment(None) is None
    assert parse_moment("  ") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31-02-2025", "day is out of range for month"),
        ("3-4-25", "two_digit_year"),
        ("ja", "not_a_date"),
        ("3 brumaire 2025", "unknown_month"),
        (45123, "not_a_date"),
    ],
)
def test_what_is_no_date_is_refused(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_moment(text)


# --- Other cells -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("Telefoon", "phone"),
        ("telefonisch", "phone"),
        ("Balie", "desk"),
        ("E-mail", "email"),
        ("brief", "letter"),
        ("Website", "web"),
        ("phone", "phone"),
        ("fax", None),
    ],
)
def test_a_channel_is_known_by_its_dutch_or_english_name(text, channel):
    assert parse_channel(text) == channel


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Opgelost", "solved"),
        ("niet opgelost", "unsolved"),
        ("Ingetrokken", "withdrawn"),
        ("na uitspraak", "ruling"),
        ("solved", "solved"),
        ("misschien", None),
    ],
)
def test_an_outcome_is_known_by_its_dutch_or_english_name(text, outcome):
    assert parse_outcome(text) == outcome


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Lindenlaan 12a", ("Lindenlaan", "12a")),
        ("2e Jan Steenstraat 5-2", ("2e Jan Steenstraat", "5-2")),
        ("Dorpsweg 5 B", ("Dorpsweg", "5B")),
        ("Lindenlaan", ("Lindenlaan", "")),
    ],
)
def test_a_street_with_its_number_in_one_column_is_split(text, parts):
    assert split_street(text) == parts


def test_cells_read_as_text():
    assert cell_text(12.0) == "12"
    assert cell_text("  Lange   Nieuwstraat ") == "Lange Nieuwstraat"
    assert cell_text(None) == ""
    assert full_name(["Anna", "", "de", " Vries "]) == "Anna de Vries"
