"""Fill bokmål translations into an app's django.po from a shared glossary.

Usage: python scripts/translate_po.py src/tillit/APP/locale/nb/LC_MESSAGES/django.po
Entries already translated are left alone; untranslated ones found in
scripts/glossary_nb.py are filled; the rest are listed so a person writes them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from glossary_nb import GLOSSARY  # noqa: E402

ENTRY = re.compile(r'msgid "((?:[^"\\]|\\.)*)"\nmsgstr ""\n(?!")', re.M)


def fill(path: Path) -> list[str]:
    text = path.read_text("utf-8")
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        msgid = match.group(1)
        if not msgid:
            return match.group(0)
        translation = GLOSSARY.get(msgid.replace('\\"', '"'))
        if translation is None:
            missing.append(msgid)
            return match.group(0)
        escaped = translation.replace('"', '\\"')
        return f'msgid "{msgid}"\nmsgstr "{escaped}"\n'

    text = ENTRY.sub(replace, text)
    text = text.replace("#, fuzzy\n", "", 1)
    text = text.replace('"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"',
                        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"')
    text = text.replace('"Content-Type: text/plain; charset=CHARSET\\n"',
                        '"Content-Type: text/plain; charset=UTF-8\\n"')
    path.write_text(text, "utf-8")
    return missing


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        for msgid in fill(Path(arg)):
            print(f"{arg}: no translation for {msgid!r}")
