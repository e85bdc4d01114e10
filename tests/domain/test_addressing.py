"""How a letter addresses the customer (issue #10, 12): the salutation with the family name,
and the address block as PostNL prints it."""

from __future__ import annotations

import pytest

from klachten.domain.addressing import PostalAddress, address_lines, addressed_as, family_name


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Anna de Vries", "De Vries"),
        ("J.P. van der Berg", "Van der Berg"),
        ("Piet Jansen", "Jansen"),
        ("Anna Maria Jansen", "Jansen"),
        ("Anna de Vries-Bakker", "De Vries-Bakker"),
        ("Kees in 't Veld", "In 't Veld"),
        ("van Dijk", "Van Dijk"),
        ("Jansen", "Jansen"),
        ("Luc  Peeters ", "Peeters"),
        ("", ""),
    ],
)
def test_the_family_name_keeps_its_prefixes_with_a_capital(name: str, family: str):
    assert family_name(name) == family


@pytest.mark.parametrize(
    ("name", "salutation", "addressed"),
    [
        ("Anna de Vries", "mevrouw", "mevrouw De Vries"),
        ("Piet Jansen", "heer", "heer Jansen"),
        ("Sam Bakker", "", "Sam Bakker"),
        ("Sam  Bakker", "", "Sam Bakker"),
    ],
)
def test_the_customer_is_addressed_as_the_file_says(name: str, salutation: str, addressed: str):
    assert addressed_as(name, salutation) == addressed


def _address(**changes: str) -> PostalAddress:
    fields = {
        "name": "Anna de Vries",
        "street": "Lindenlaan",
        "house_number": "12a",
        "postcode": "3512ab",
        "town": "Utrecht",
        "country": "NL",
    }
    fields.update(changes)
    return PostalAddress(**fields)


def test_a_dutch_address_has_the_postcode_two_spaces_and_the_town_in_capitals():
    assert address_lines(_address()) == ["Anna de Vries", "Lindenlaan 12a", "3512 AB  UTRECHT"]
    assert address_lines(_address(town="'s-Hertogenbosch", postcode="5211 AB"))[2] == (
        "5211 AB  'S-HERTOGENBOSCH"
    )


def test_an_address_abroad_ends_with_the_country_in_capitals():
    belgian = _address(street="Meir", house_number="24", postcode="2000", town="Antwerpen")
    belgian = PostalAddress(**{**belgian.__dict__, "country": "BE"})
    assert address_lines(belgian, "België") == [
        "Anna de Vries",
        "Meir 24",
        "2000 ANTWERPEN",
        "BELGIË",
    ]


def test_a_british_postcode_stands_on_its_own_line_after_the_town():
    british = _address(
        street="Baker Street", house_number="221b", postcode="nw1 6xe", town="London", country="GB"
    )
    assert address_lines(british, "Verenigd Koninkrijk")[2:] == [
        "LONDON",
        "NW1 6XE",
        "VERENIGD KONINKRIJK",
    ]


def test_a_country_without_a_name_is_given_by_its_code():
    assert address_lines(_address(country="de", postcode="10115", town="Berlin"))[-1] == "DE"
