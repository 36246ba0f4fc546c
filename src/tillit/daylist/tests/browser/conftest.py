"""The project's Playwright harness (src/tillit/web/tests/browser/conftest.py),
made available to the day list's browser tests."""

from tillit.web.tests.browser.conftest import (  # noqa: F401 - fixtures and the report hook
    axe_check,
    browser,
    console_errors,
    demo_user,
    login_fixture,
    new_page,
    page,
    page_as,
    pytest_runtest_makereport,
    url,
)
