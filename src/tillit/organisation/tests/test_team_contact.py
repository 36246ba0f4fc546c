"""A team's phone and e-mail: validated as a Norwegian number with a field
error in bokmål, set in the admin or through `do_set_team_contact`, and
turned into a `tel:` link."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from tillit.organisation import services
from tillit.organisation.models import Team
from tillit.organisation.validators import display_phone, phone_digits, tel_uri

NB_ERROR = ("Skriv et norsk telefonnummer: åtte sifre som ikke begynner med 0 eller 1, "
            "eventuelt etter +47.")


@pytest.mark.parametrize(("written", "digits"), [
    ("40 00 03 01", "40000301"),
    ("+47 400 00 301", "40000301"),
    ("0047 21802180", "21802180"),
    ("99999999", "99999999"),
    ("1234 5678", ""),     # 1 begins special numbers
    ("0123 4567", ""),
    ("400 00 30", ""),     # seven digits
    ("+46 40000301", ""),  # Swedish
    ("40 00 O3 01", ""),   # a letter O
    ("", ""),
])
def test_what_counts_as_a_norwegian_number(written: str, digits: str) -> None:
    assert phone_digits(written) == digits
    assert tel_uri(written) == (f"tel:+47{digits}" if digits else "")
    if digits:
        assert display_phone(written) == " ".join(digits[i:i + 2] for i in range(0, 8, 2))


def test_setting_the_contact_validates_in_bokmal(db, make_user) -> None:
    team = make_user("pleier.sagene.1", "carer", "sagene").employee.team
    with translation.override("nb"):  # messages are lazy: read them in bokmål too
        with pytest.raises(ValidationError) as err:
            services.do_set_team_contact(team, phone="12 34 56", email="ikke-en-adresse")
        assert err.value.message_dict["phone"] == [NB_ERROR]
        assert "email" in err.value.message_dict
    team.refresh_from_db()
    assert team.phone == "" and team.email == ""
    services.do_set_team_contact(team, phone=" +47 40 00 03 01 ", email="sone1@example.org")
    team.refresh_from_db()
    assert (team.phone, team.email) == ("+47 40 00 03 01", "sone1@example.org")
    assert team.phone_uri == "tel:+4740000301" and team.phone_display == "40 00 03 01"


def test_the_admin_edits_the_phone_with_a_norwegian_error(db, make_user,
                                                          django_user_model) -> None:
    team = make_user("pleier.sagene.1", "carer", "sagene").employee.team
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_superuser("root", "r@example.org", "x" * 16)
    form_class = admin.site._registry[Team].get_form(request, team)
    data = {"district": team.district_id, "unit": team.unit_id, "name": team.name,
            "valid_from": team.valid_from.isoformat(), "phone": "0800", "email": ""}
    with translation.override("nb"):
        form = form_class(data=data, instance=team)
        assert not form.is_valid()
        assert form.errors["phone"] == [NB_ERROR]
    form = form_class(data={**data, "phone": "40 00 03 01"}, instance=team)
    assert form.is_valid(), form.errors
    form.save()
    assert Team.objects.get(pk=team.pk).phone == "40 00 03 01"


def test_demo_team_phones_are_valid_and_distinct() -> None:
    from tillit.demo.builder import demo_team_phone
    phones = {demo_team_phone(d, t) for d in range(1, 16) for t in range(1, 13)}
    assert len(phones) == 15 * 12
    assert all(phone_digits(p).startswith("4000") for p in phones)
