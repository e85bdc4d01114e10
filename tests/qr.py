"""QR codes read back from a rendered PDF by a real decoder, as a phone's camera would.

PDFium draws each page at 300 dpi and ZXing finds and decodes every QR code on it. Nothing
here trusts the encoder: what counts is what a scanner reads.
"""

from __future__ import annotations

from dataclasses import dataclass

# ZXing reports the symbology identifier "]Q2" and ECI 26 (UTF-8) as "\\000026" first.
UTF8_ECI = b"]Q2\\000026".hex(" ").upper()


@dataclass(frozen=True)
class Scanned:
    """One QR code as a scanner reads it."""

    text: str  # decoded as the scanner would show it
    data: bytes  # the bytes in the symbol
    marked_utf8: bool  # the symbol says, with an ECI, that its bytes are UTF-8


def scan_pdf(pdf: bytes) -> list[Scanned]:
    import pypdfium2
    import zxingcpp

    found: list[Scanned] = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for page in document:
            image = page.render(scale=300 / 72).to_pil()
            plain = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            marked = zxingcpp.read_barcodes(
                image, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.HexECI
            )
            hexed = {str(code.position): code.text for code in marked}
            found.extend(
                Scanned(
                    text=code.text,
                    data=bytes(code.bytes),
                    marked_utf8=hexed.get(str(code.position), "").startswith(UTF8_ECI),
                )
                for code in plain
            )
    finally:
        document.close()
    return found
