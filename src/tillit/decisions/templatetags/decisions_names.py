"""Codes shown as names: `{% iplos_name code %}` gives an IPLOS variable's
(task code's) name in the definition in use, or the code itself when the
catalogue does not know it (an older decision)."""

from __future__ import annotations

from django import template

from tillit.decisions import services

register = template.Library()


@register.simple_tag
def iplos_name(code: str) -> str:
    return services.task_names().get(code, code)
