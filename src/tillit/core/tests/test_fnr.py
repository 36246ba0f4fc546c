"""The fødselsnummer rules: check digits, D/H/synthetic numbers, the century
rule, real dates, and what spreadsheets do to numbers."""

import datetime as dt

import pytest

from tillit.core import fnr


def make(first_nine: str) -> str:
    """A classic valid number: the date digits given, the individual number
    the first one from the given one on that has check digits."""
    date_part, individual = first_nine[:6], int(first_nine[6:])
    for candidate in range(individual, individual + 40):
        number = fnr.with_check_digits(f"{date_part}{candidate:03d}")
        if number is not None:
            return number
    raise AssertionError(first_nine)


def test_valid_ordinary_number() -> None:
    number = make("010190123")
    parsed = fnr.parse(number)
    assert parsed.birth_date == dt.date(1990, 1, 1)
    assert parsed.kind == "fnr"
    assert not parsed.synthetic


def test_wrong_check_digit_is_refused_with_norwegian_message() -> None:
    number = make("010190123")
    broken = number[:10] + str((int(number[10]) + 1) % 10)
    with pytest.raises(fnr.FnrError) as err:
        fnr.parse(broken)
    assert err.value.code == "checksum"
    assert "kontrollsiffer" in err.value.message


def test_first_check_digit_of_ten_has_no_classic_number() -> None:
    # Find nine digits whose classic first check digit would be 10.
    base = next(
        f"0101901{i:02d}" for i in range(100)
        if (11 - sum(w * int(d) for w, d in zip(fnr.WEIGHTS_1, f"0101901{i:02d}", strict=True)) % 11) == 10
    )
    assert fnr.with_check_digits(base) is None
    # No digit makes a classic number of it ...
    for k1 in range(10):
        for k2 in range(10):
            candidate = f"{base}{k1}{k2}"
            assert not fnr.check_digits_valid(candidate, allow_2032_rule=False)
    # ... while the 2032 rule accepts a first check digit leaving remainder 1-3.
    accepted = [
        f"{base}{k1}{k2}" for k1 in range(10) for k2 in range(10)
        if fnr.check_digits_valid(f"{base}{k1}{k2}")
    ]
    assert accepted
    assert fnr.parse(accepted[0]).birth_date == dt.date(1990, 1, 1)


def test_2032_rule_remainders() -> None:
    base = "010190123"
    s = sum(w * int(d) for w, d in zip(fnr.WEIGHTS_1, base, strict=True))
    for remainder in range(11):
        k1 = (remainder - s) % 11
        if k1 > 9:
            continue
        digits = [int(c) for c in base] + [k1]
        k2 = (11 - sum(w * d for w, d in zip(fnr.WEIGHTS_2, digits, strict=True)) % 11) % 11
        if k2 == 10:
            continue
        number = f"{base}{k1}{k2}"
        assert fnr.is_valid(number) == (remainder in (0, 1, 2, 3)), (number, remainder)


def test_synthetic_number_month_plus_80() -> None:
    number = fnr.synthetic_number(dt.date(1938, 3, 14), 7)
    assert number is not None
    assert number[2:4] == "83"
    parsed = fnr.parse(number)
    assert parsed.synthetic
    assert parsed.birth_date == dt.date(1938, 3, 14)


def test_d_number_first_digit_plus_four() -> None:
    number = make("410190123")
    parsed = fnr.parse(number)
    assert parsed.kind == "d-number"
    assert parsed.birth_date == dt.date(1990, 1, 1)


def test_h_number_month_plus_forty() -> None:
    number = make("014190123")
    parsed = fnr.parse(number)
    assert parsed.kind == "h-number"
    assert parsed.birth_date == dt.date(1990, 1, 1)


def test_29_february_1900_is_not_a_date_but_2000_is() -> None:
    # 1900: individual number 000-499 -> 1900s; 1900 was no leap year.
    number_1900 = make("290200123")
    with pytest.raises(fnr.FnrError) as err:
        fnr.parse(number_1900)
    assert err.value.code == "date"
    # 2000: individual number 500-999 with year 00-39 -> 2000s, a leap year.
    number_2000 = make("290200523")
    assert fnr.parse(number_2000).birth_date == dt.date(2000, 2, 29)


@pytest.mark.parametrize(
    ("first_nine", "valid", "year"),
    [
        ("010150123", True, 1950),   # 000-499: 1900-1999
        ("010160623", True, 1860),   # 500-749 with year 54-99: 1854-1899
        ("010120623", True, 2020),   # 500-999 with year 00-39: 2000-2039
        ("010150923", True, 1950),   # 900-999 with year 40-99: 1940-1999
        ("010150800", False, None),  # 750-899 with year 40-99: no century
        ("010145600", False, None),  # 500-749 with year 40-53: no century
    ],
)
def test_century_rule(first_nine: str, valid: bool, year: int | None) -> None:
    number = fnr.with_check_digits(first_nine)
    if number is None:  # pick a neighbouring individual number with check digits
        number = next(
            n for i in range(10)
            if (n := fnr.with_check_digits(first_nine[:8] + str(i))) is not None
        )
    if valid:
        assert fnr.parse(number).birth_date.year == year
    else:
        with pytest.raises(fnr.FnrError) as err:
            fnr.parse(number)
        assert err.value.code == "century"


def test_spaces_and_spreadsheet_floats() -> None:
    number = make("010190123")
    assert fnr.parse(f"{number[:6]} {number[6:]}").number == number
    assert fnr.parse(f" {number} ").number == number
    assert fnr.parse(float(number)).number == number
    assert fnr.parse(f"{number}.0").number == number
    assert fnr.parse(f"{int(number):.10E}").number == number


def test_leading_zero_dropped_by_a_spreadsheet_is_restored() -> None:
    number = make("010190123")
    assert number.startswith("0")
    assert fnr.parse(int(number)).number == number
    assert fnr.parse(float(int(number))).number == number


@pytest.mark.parametrize(
    ("value", "code"),
    [("", "missing"), (None, "missing"), ("1234", "length"), ("0101901234x", "not_digits"),
     (1.5, "not_digits"), ("123456789012", "length")],
)
def test_malformed_input(value: object, code: str) -> None:
    with pytest.raises(fnr.FnrError) as err:
        fnr.parse(value)
    assert err.value.code == code


def test_future_birth_date_refused_when_today_given() -> None:
    number = make("010130523")  # 1 January 2030
    with pytest.raises(fnr.FnrError):
        fnr.parse(number, today=dt.date(2026, 11, 23))


def test_mask_keeps_only_birth_digits() -> None:
    assert fnr.mask("01019012345") == "010190 *****"


def test_the_number_says_nothing_about_sex() -> None:
    parsed = fnr.parse(make("010190123"))
    assert not hasattr(parsed, "sex") and not hasattr(parsed, "gender")


@pytest.mark.parametrize("value", ["1e999999", "1E+99999999999", "9.9e12", "1" * 21,
                                   " " * 5000 + "1e5"])
def test_huge_numbers_refused_as_text_before_any_arithmetic(value: str, monkeypatch) -> None:
    """Issue #10, finding 7: a short exponent must not build a huge number.
    Decimal is never asked for more than 11 digits."""
    built: list[object] = []
    real = fnr.Decimal

    def watched(text: object) -> object:
        built.append(text)
        return real(text)

    monkeypatch.setattr(fnr, "Decimal", watched)
    with pytest.raises(fnr.FnrError) as err:
        fnr.normalise(value)
    assert err.value.code == "length"
    assert built == []


def test_spreadsheet_floats_still_read() -> None:
    number = make("010190123")
    as_float = f"{int(number):.10E}"  # e.g. 1.0119012345E+09
    assert fnr.normalise(as_float) == number
    assert fnr.normalise(number[1:] + ".0") == number
