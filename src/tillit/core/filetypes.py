"""What a file is, from its first bytes, never from its name or the type a
browser claims: the attachments of a case accept PDF and common images."""

from __future__ import annotations

# (leading bytes, content type, file extension)
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)
ACCEPTED_TYPES = tuple(sorted({t for _sig, t, _ext in SIGNATURES}))


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a file starting with `head`, or None
    when it is none of the accepted kinds."""
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def safe_filename(name: str, extension: str, fallback: str = "vedlegg") -> str:
    """A download name of letters, digits, '-', '_' and '.', ending in the
    sniffed extension (a name cannot smuggle a type or a path)."""
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    kept = "".join(c if c.isalnum() or c in "-_" else "-" for c in stem).strip("-")[:80]
    return f"{kept or fallback}.{extension}"
