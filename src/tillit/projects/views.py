"""The project register: search and filter city-wide, one project with its
documents and dialogue meetings, register and edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tillit.access.policy import policy
from tillit.projects import services
from tillit.projects.forms import DocumentForm, MeetingForm, ProjectForm, SearchForm
from tillit.projects.models import Document, Project

READ = "projects.read"
REGISTER = "projects.register"


def _errors(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@policy(READ)
def project_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    rows = services.search()
    if form.is_valid():
        data = form.cleaned_data
        rows = services.search(q=data["q"], kind=data["kind"], status=data["status"],
                               district=data["district"].pk if data["district"] else None,
                               agency=data["agency"].pk if data["agency"] else None)
    return render(request, "projects/list.html", {
        "form": form, "rows": rows[:300], "count": rows.count(),
        "may_register": request.user.role in ("district_manager", "planner", "case_handler")})


@policy(READ)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("district", "agency"), pk=pk)
    editable = services.may_edit(request.user, project)
    meeting_form = MeetingForm(prefix="m") if editable else None
    document_form = DocumentForm(prefix="d") if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if "m-agreed" in request.POST:
            meeting_form = MeetingForm(request.POST, prefix="m")
            if meeting_form.is_valid():
                try:
                    services.do_add_meeting(user=request.user, project=project,
                                            **meeting_form.cleaned_data)
                except ValidationError as exc:
                    _errors(meeting_form, exc)
                else:
                    messages.success(request, _("The meeting is recorded."))
                    return redirect("projects:detail", project.pk)
        else:
            document_form = DocumentForm(request.POST, request.FILES, prefix="d")
            if document_form.is_valid():
                try:
                    services.do_add_document(user=request.user, project=project,
                                             **document_form.cleaned_data)
                except ValidationError as exc:
                    _errors(document_form, exc)
                else:
                    messages.success(request, _("The document is added."))
                    return redirect("projects:detail", project.pk)
    return render(request, "projects/detail.html", {
        "project": project, "editable": editable, "meeting_form": meeting_form,
        "document_form": document_form, "units": project.units.all(),
        "meetings": project.meetings.all(), "documents": project.documents.all()})


@policy(REGISTER)
def project_new(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, user=request.user,
                       initial={"district": request.user.district_id})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("units")
        try:
            project = services.do_register_project(user=request.user, units=units, **data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The project is registered."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None})


@policy(REGISTER)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk)
    if not services.may_edit(request.user, project):
        raise PermissionDenied
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("units")
        try:
            services.do_update_project(user=request.user, project=project, units=units, **data)
        except ValidationError as exc:
            _errors(form, exc)
        else:
            messages.success(request, _("The project is updated."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/form.html", {"form": form, "project": project})


@policy(READ)
def document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(Document, pk=pk)
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    safe = "".join(c if c.isalnum() or c in "._- " else "_" for c in doc.file_name)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
