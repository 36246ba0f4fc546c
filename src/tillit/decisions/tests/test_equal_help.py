"""Equal help compares like with like: the same service and care block, and
the same IPLOS profile where enough decisions share it; it says so."""

from __future__ import annotations

import datetime as dt

import pytest

from tillit.decisions import services
from tillit.decisions.models import IplosDefinition, ServiceType
from tillit.decisions.tests.conftest import NOW, visit

pytestmark = pytest.mark.django_db


def _decide(person, service, minutes, handler, *, heavy: int = 0):
    codes = IplosDefinition.current().definition.codes()
    scores = {c: (4 if i < heavy else 1) for i, c in enumerate(codes)}
    assessment = services.do_record_assessment(client=person, scores=scores,
                                               assessed_on=NOW.date(), block="medium",
                                               override_reason="Skjønn")
    return services.do_decide(client=person, service_type=service, care_block="medium",
                              provider=person.provider, valid_from=NOW.date(),
                              visits=[visit(minutes=minutes)], actor=handler,
                              assessment=assessment, justification="Begrunnelse.")


def test_same_service_and_profile(clock, make_client, saksbehandler) -> None:
    nursing = ServiceType.objects.get(code="home-nursing")
    practical = ServiceType.objects.get(code="practical-assistance")
    for i in range(5):  # other service: never compared with
        _decide(make_client("sagene"), practical, 200 + i, saksbehandler)
    for i in range(5):  # same service, another profile
        _decide(make_client("sagene"), nursing, 60 + i, saksbehandler, heavy=0)
    eh = services.equal_help_for(care_block="medium", weekly_minutes=7 * 30,
                                 district=make_client("sagene").district,
                                 service_type=nursing, profile=(2, 2),
                                 on=NOW.date() + dt.timedelta(days=1))
    assert eh.city.count == 5 and eh.city.median < 8  # no 200-minute practical visits
    assert eh.profile is None and eh.profile_too_few
    assert "Hjemmesykepleie" in eh.compared and "for få" in eh.compared.lower()
    for i in range(5):  # five share the profile (2 variables at 4: needs 2, heavy 2)
        _decide(make_client("sagene"), nursing, 20 + i, saksbehandler, heavy=2)
    eh = services.equal_help_for(care_block="medium", weekly_minutes=7 * 30,
                                 district=make_client("sagene").district,
                                 service_type=nursing, profile=(2, 2),
                                 on=NOW.date() + dt.timedelta(days=1))
    assert eh.profile == (2, 2) and eh.city.count == 5
    assert eh.city.median == round(7 * 22 / 60, 2)
    assert "IPLOS" in eh.compared
