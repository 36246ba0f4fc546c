"""Text that names a person or a place: one Unicode form, no hidden characters.

Names arrive typed, pasted from letters and spreadsheets, or from systems that
send decomposed letters (NFD: "A" + a combining ring for "Å"). Stored in NFC,
"Åse" is found whichever way it was typed. Control characters and invisible
format characters (zero-width spaces, right-to-left overrides that make a name
display as another) have no place in a name and are refused.
"""

from __future__ import annotations

import unicodedata

# Categories never part of a name: control (Cc), format (Cf: zero-width and
# direction marks), surrogates (Cs), private use (Co), unassigned (Cn).
HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def composed(value: str) -> str:
    """The canonical composed form (NFC)."""
    return unicodedata.normalize("NFC", value)


def hidden_characters(value: str) -> list[str]:
    """The code points (as U+ and four hex digits) in `value` that are invisible or control characters."""
    return sorted({f"U+{ord(ch):04X}" for ch in value
                   if unicodedata.category(ch) in HIDDEN_CATEGORIES})
