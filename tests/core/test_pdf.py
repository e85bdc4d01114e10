"""PDFs are rendered from HTML with local resources only (letters, the regulation, reports)."""

import io

import pytest
from pypdf import PdfReader

from klachten.core.pdf import _local_url, html_to_pdf


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_document_becomes_a_pdf_with_its_text():
    data = html_to_pdf("<html><body><h1>Meldingsregeling Kerngroep</h1><p>Tekst</p></body></html>")

    assert data.startswith(b"%PDF")
    assert "Meldingsregeling Kerngroep" in pdf_text(data)


def test_the_apps_own_static_files_load():
    found = _local_url("file:///static/vendor/pico/pico.min.css")

    assert found.startswith("file:///")
    assert found.endswith("/vendor/pico/pico.min.css")


@pytest.mark.parametrize(
    "url", ["https://example.org/x.css", "http://127.0.0.1/a.png", "ftp://x/y"]
)
def test_outside_addresses_are_never_fetched(url):
    """Nothing in a letter or report reaches outside the installation (R2)."""
    with pytest.raises(ValueError, match="no external resources"):
        _local_url(url)


def test_a_page_with_an_outside_stylesheet_still_renders_without_it():
    html = '<html><head><link rel="stylesheet" href="https://example.org/x.css"></head><body><p>Hallo</p></body></html>'

    assert "Hallo" in pdf_text(html_to_pdf(html))
