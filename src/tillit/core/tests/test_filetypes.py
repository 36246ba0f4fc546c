from __future__ import annotations

import pytest

from tillit.core import filetypes


@pytest.mark.parametrize(("head", "expected"), [
    (b"%PDF-1.7\n...", ("application/pdf", "pdf")),
    (b"\x89PNG\r\n\x1a\n\x00\x00", ("image/png", "png")),
    (b"\xff\xd8\xff\xe0JFIF", ("image/jpeg", "jpg")),
    (b"GIF89a..", ("image/gif", "gif")),
    (b"<html><script>alert(1)</script>", None),
    (b"MZ\x90\x00", None),  # a Windows program
    (b"", None),
    (b" %PDF-1.7", None),  # the signature must come first
])
def test_sniff_reads_the_first_bytes(head: bytes, expected) -> None:
    assert filetypes.sniff(head) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("epikrise.pdf", "epikrise.pdf"),
    ("../../etc/passwd", "passwd.pdf"),
    ("C:\\docs\\fastlege uttalelse.exe", "fastlege-uttalelse.pdf"),
    ("æøå.PDF", "æøå.pdf"),
    ("", "vedlegg.pdf"),
])
def test_safe_filename(name: str, expected: str) -> None:
    assert filetypes.safe_filename(name, "pdf") == expected
