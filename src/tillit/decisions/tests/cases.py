"""One whole case for tests that need every kind of object of the purchaser
office: application → assessment → decision → open reassessment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tillit.decisions import services
from tillit.decisions.models import IplosDefinition, Reassessment, ServiceType


def build_case(client: Any, actor: Any) -> dict[str, Any]:
    """Application, assessment, decision (with one visit) and an open
    reassessment for `client`, registered by `actor` (a case handler)."""
    now = services.now()
    application = services.do_register_application(
        client=client, service_type=ServiceType.objects.get(code="home-nursing"),
        source="client", received_at=now - dt.timedelta(days=3), actor=actor,
        description="Søknad om hjemmesykepleie (testsak)",
    )
    scores = {code: 1 for code in IplosDefinition.current().definition.codes()}
    assessment = services.do_record_assessment(
        client=client, application=application, scores=scores,
        assessed_on=services.today() - dt.timedelta(days=2), assessor=actor,
        note="Kartleggingsnotat (testsak)",
    )
    decision = services.do_decide(
        client=client, service_type=application.service_type, care_block=assessment.block,
        provider=client.provider, valid_from=services.today() - dt.timedelta(days=1),
        visits=[{"slot": "morning", "weekdays": [0, 1, 2, 3, 4, 5, 6], "minutes": 30,
                 "competence": "health_worker", "skills": [], "tasks": "Sperretest-stell"}],
        actor=actor, application=application, assessment=assessment,
        justification="Vedtaksbegrunnelse (testsak)",
        date_reason="Vedtaket gjelder fra i går (testsak)",
    )
    reassessment = services.do_open_reassessment(
        decision, source=Reassessment.Source.VISIT_REPORTS, actor=actor,
        reason="Revurderingsgrunn (testsak)",
    )
    return {"application": application, "assessment": assessment, "decision": decision,
            "reassessment": reassessment}
