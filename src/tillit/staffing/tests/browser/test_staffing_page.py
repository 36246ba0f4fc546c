"""In a real browser on a phone: the district manager finds the staffing
page in the menu, reads the figures and uses the what-if panel without
JavaScript doing the work (a plain GET form)."""

from __future__ import annotations

import pytest

from tillit.staffing.tests.conftest import DAY

pytestmark = pytest.mark.browser


def test_district_manager_uses_the_what_if_panel_on_a_phone(world, page_as, url, axe_check,
                                                            console_errors) -> None:
    page = page_as("leder.sagene", viewport=(360, 740))
    page.get_by_role("link", name="Behovsstyrt bemanning", exact=True).click()
    page.goto(page.url + f"?date={DAY.isoformat()}")
    assert page.locator("h1").inner_text() == "Behovsstyrt bemanning: Sagene"
    assert page.get_by_role("img", name="Årsverk behov og i turnus etter kompetanse").count() == 1
    page.get_by_label("Andel direkte brukertid (%)").fill("60")
    page.get_by_role("button", name="Vis virkningen").click()
    status = page.get_by_role("status").filter(has_text="Nødvendige årsverk med disse verdiene")
    assert status.count() == 1
    assert page.get_by_label("Normtall (brukere per sykepleier)").input_value() == "25"
    width = page.evaluate("document.documentElement.scrollWidth")
    widest = page.evaluate("""[...document.querySelectorAll('main *')]
        .filter(e => e.getBoundingClientRect().right > 360 && !e.closest('.stf-scroll'))
        .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
    assert width <= 360, (width, widest)
    axe_check(page)
    assert not console_errors
