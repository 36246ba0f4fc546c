"""Planning in the app: rosters and absences, the day's visits generated from
active decisions, and stored plans made by the day planner (`tillit.core.planner`).

Ids: in a stored plan's instance, a visit's id is `str(Visit.pk)` and a staff
member's id is `str(Employee.pk)`; the day list and the report endpoint use
the same visit ids (`api-contract.md`, section Plans).
"""
