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


def test_a_pdf_is_made_in_a_child_so_this_process_never_loads_weasyprint(monkeypatch):
    """#17 item 4: WeasyPrint and its fonts (about 60 MiB) live in the child that renders, not
    in the web worker that asked; the bytes come back whole, large documents too."""
    import sys

    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    rows = "".join(f"<p>Regel {n} van het verslag</p>" for n in range(3000))

    data = html_to_pdf(f"<html><body><h1>Jaarverslag</h1>{rows}</body></html>")

    assert not any(m == "weasyprint" or m.startswith("weasyprint.") for m in sys.modules)
    assert len(data) > 1 << 16  # more than one pipe buffer
    text = pdf_text(data)
    assert "Jaarverslag" in text
    assert "Regel 2999 van het verslag" in text


def test_a_child_that_fails_raises_here_with_its_reason(monkeypatch):
    """A rendering that fails in the child is an error in the caller, with the child's
    traceback, never empty bytes taken for a PDF."""
    from klachten.core import pdf

    def broken(html: str, relative_links: bool) -> bytes:
        raise RuntimeError("lettertype ontbreekt")

    monkeypatch.setattr(pdf, "_render", broken)
    with pytest.raises(pdf.PdfRenderingFailed, match="lettertype ontbreekt"):
        html_to_pdf("<html><body><p>Hallo</p></body></html>")


def test_a_child_that_dies_raises_here(monkeypatch):
    from klachten.core import pdf

    def killed(html: str, relative_links: bool) -> bytes:
        import os
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    monkeypatch.setattr(pdf, "_render", killed)
    with pytest.raises(pdf.PdfRenderingFailed, match="exit status"):
        html_to_pdf("<html><body><p>Hallo</p></body></html>")
