"""Norwegian national identity numbers (fødselsnummer, D-number, H-number).

Pure rules, no Django. The number is kept as an 11-character string so
leading zeros survive. Sex is never derived from the number (from 2032 the
individual digits no longer carry it).

Rules implemented:
- two mod-11 check digits; the first may also follow the 2032 rule, where
  the weighted sum including the first check digit leaves remainder 0-3;
- D-numbers (first digit + 4), H-numbers (month + 40), synthetic test
  numbers (month + 80, Skatteetaten's Test-Norge);
- a real calendar date with the century read from the individual number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

FLOAT_TEXT = re.compile(r"\d{10,11}\.0+|\d(\.\d+)?[eE]\+?\d+")
# Longest text read as a number: 11 digits with spaces, dots or a dash
# between the groups, or a spreadsheet float; anything longer is refused
# before it is parsed.
MAX_TEXT = 20
WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


class FnrError(ValueError):
    """An invalid number; `message` is the Norwegian text for the user."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class NationalId:
    number: str
    birth_date: dt.date
    kind: str  # "fnr", "d-number", "h-number"
    synthetic: bool

    @property
    def masked(self) -> str:
        return mask(self.number)


def normalise(value: object) -> str:
    """Digits of a number as typed or pasted: spaces and dots between digit
    groups removed; a spreadsheet float (12345678901.0, or 1.2345678901E10)
    turned back into digits, with the leading zero a spreadsheet drops restored."""
    if isinstance(value, bool) or value is None:
        raise FnrError("Fødselsnummer mangler.", "missing")
    if isinstance(value, float):
        if not value.is_integer():
            raise FnrError("Fødselsnummeret kan bare inneholde sifre.", "not_digits")
        text = str(int(value))
    elif isinstance(value, int):
        text = str(value)
    else:
        text = str(value)
        if len(text) > MAX_TEXT:  # before any other work on the text
            raise FnrError("Fødselsnummeret må ha 11 sifre.", "length")
        text = re.sub(r"[\s\u00a0]", "", text)
        if FLOAT_TEXT.fullmatch(text):
            text = _float_digits(text)
        else:
            text = text.replace(".", "").replace("-", "")
    if not text:
        raise FnrError("Fødselsnummer mangler.", "missing")
    if not (text.isascii() and text.isdigit()):  # not ¹, full-width or Arabic-Indic digits
        raise FnrError("Fødselsnummeret kan bare inneholde sifre.", "not_digits")
    if len(text) == 10:
        text = "0" + text  # a spreadsheet dropped the leading zero
    if len(text) != 11:
        raise FnrError("Fødselsnummeret må ha 11 sifre.", "length")
    return text


def _float_digits(text: str) -> str:
    """The digits of a spreadsheet float, read as text: the exponent is
    checked before the number is built, so `1e999999` costs nothing."""
    mantissa, _e, exponent = text.lower().partition("e")
    shift = int(exponent.lstrip("+") or "0") if exponent else 0
    if shift > 11:
        raise FnrError("Fødselsnummeret må ha 11 sifre.", "length")
    number = Decimal(mantissa).scaleb(shift)
    if number != number.to_integral_value():
        raise FnrError("Fødselsnummeret kan bare inneholde sifre.", "not_digits")
    return str(int(number))


def check_digits_valid(number: str, allow_2032_rule: bool = True) -> bool:
    digits = [int(c) for c in number]
    first = sum(w * d for w, d in zip(WEIGHTS_1, digits[:9], strict=True)) + digits[9]
    remainder_first = first % 11
    first_ok = remainder_first in (0, 1, 2, 3) if allow_2032_rule else remainder_first == 0
    second = sum(w * d for w, d in zip(WEIGHTS_2, digits[:10], strict=True)) + digits[10]
    return first_ok and second % 11 == 0


def _century(year2: int, individual: int) -> int | None:
    if individual <= 499:
        return 1900
    if individual <= 749 and year2 >= 54:
        return 1800
    if individual >= 500 and year2 <= 39:
        return 2000
    if individual >= 900 and year2 >= 40:
        return 1900
    return None


def parse(
    value: object, *, today: dt.date | None = None, allow_2032_rule: bool = True
) -> NationalId:
    number = normalise(value)
    if not check_digits_valid(number, allow_2032_rule=allow_2032_rule):
        raise FnrError("Fødselsnummeret har feil kontrollsiffer.", "checksum")
    day, month, year2 = int(number[0:2]), int(number[2:4]), int(number[4:6])
    individual = int(number[6:9])
    kind = "fnr"
    synthetic = False
    if day > 40:
        day -= 40
        kind = "d-number"
    if month > 80:
        month -= 80
        synthetic = True
    elif month > 40:
        month -= 40
        kind = "h-number" if kind == "fnr" else kind
    century = _century(year2, individual)
    if century is None:
        raise FnrError("Individnummeret passer ikke med fødselsåret (umulig århundre).", "century")
    try:
        birth = dt.date(century + year2, month, day)
    except ValueError as exc:
        raise FnrError("Fødselsnummeret inneholder ingen gyldig fødselsdato.", "date") from exc
    if today is not None and birth > today:
        raise FnrError("Fødselsdatoen i fødselsnummeret ligger i fremtiden.", "future")
    return NationalId(number=number, birth_date=birth, kind=kind, synthetic=synthetic)


def is_valid(value: object) -> bool:
    try:
        parse(value)
    except FnrError:
        return False
    return True


def mask(number: str) -> str:
    """Birth date digits shown, personal digits hidden: '010190 *****'."""
    return f"{number[:6]} *****" if len(number) == 11 else "*****"


def with_check_digits(first_nine: str) -> str | None:
    """Complete nine digits with check digits by the classic rule, or None
    when the first check digit would be 10 (no such number exists)."""
    digits = [int(c) for c in first_nine]
    k1 = 11 - sum(w * d for w, d in zip(WEIGHTS_1, digits, strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10:
        return None
    digits.append(k1)
    k2 = 11 - sum(w * d for w, d in zip(WEIGHTS_2, digits, strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    if k2 == 10:
        return None
    return first_nine + str(k1) + str(k2)


def synthetic_number(birth: dt.date, serial: int) -> str | None:
    """A synthetic test number (month + 80) for a birth date, or None if the
    serial gives no valid check digits. `serial` picks the individual number
    within the century's range."""
    year = birth.year
    if 1900 <= year <= 1999:
        individual = serial % 500
    elif 2000 <= year <= 2039:
        individual = 500 + serial % 500
    else:
        raise ValueError("synthetic numbers here cover 1900-2039")
    base = f"{birth.day:02d}{birth.month + 80:02d}{year % 100:02d}{individual:03d}"
    return with_check_digits(base)
