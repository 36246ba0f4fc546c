"""Emergency access and blocking pages."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tillit.access import services
from tillit.access.admin_guard import person_level_models
from tillit.access.forms import BlockForm, BreakGlassForm, FollowUpForm
from tillit.access.models import Block, BreakGlass
from tillit.access.policy import policy
from tillit.access.scopes import visible_client_or_404
from tillit.clients.models import Client


@policy("access.break_glass")
def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = Client.objects.filter(
            national_id=form.cleaned_data["national_id"], district_id=request.user.district_id
        ).first()
        if client is None:
            form.add_error("national_id", _("No client with this number in your district."))
        else:
            try:
                services.do_break_glass(
                    user=request.user, client=client, reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.warning(
                    request,
                    _("Emergency access granted and logged. Your district manager follows it up."),
                )
                return redirect("clients:detail", client_id=client.pk)
    return render(
        request, "access/break_glass.html",
        {"form": form, "duration": int(services.break_glass_duration().total_seconds() // 60)},
    )


@policy("access.follow_up_break_glass")
def follow_up_list(request: HttpRequest) -> HttpResponse:
    grants = services.read_follow_up_list(request.user, request=request)
    return render(request, "access/follow_up.html", {"grants": grants, "form": FollowUpForm()})


@require_POST
@policy("access.follow_up_break_glass")
def follow_up(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(BreakGlass, pk=grant_id, district_id=request.user.district_id)
    form = FollowUpForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.do_follow_up_break_glass(by=request.user, grant=grant, note=note)
    messages.success(request, _("Marked as followed up."))
    return redirect("access:follow_up")


def _blockable_types() -> list[ContentType]:
    models = sorted(
        (m for m in person_level_models() if m is not Client and m is not Block
         and m._meta.app_label not in {"access", "audit"}),
        key=lambda m: m._meta.label,
    )
    return [ContentType.objects.get_for_model(m) for m in models]


@policy("access.manage_blocks", object_rule="access.manage_client_blocks")
def blocks(request: HttpRequest, client_id: int) -> HttpResponse:
    client, current = services.read_blocks(request.user, client_id, request=request)
    form = BlockForm(request.POST or None, client=client, item_types=_blockable_types())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item_model = None
        if data["scope"] == "kind":
            item_model = data["item_type"].model_class()
        try:
            services.do_block(
                by=request.user, client=client, user=data["user"], team=data["team"],
                role=data["role"] or "", district=data["district"] if data["role"] else None,
                item_model=item_model, reason=data["reason"], valid_to=data["valid_to"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The block is registered."))
            return redirect("access:blocks", client_id=client.pk)
    return render(
        request, "access/blocks.html", {"client": client, "form": form, "blocks": current}
    )


@require_POST
@policy("access.manage_blocks", object_rule="access.manage_client_blocks")
def lift_block(request: HttpRequest, client_id: int, block_id: int) -> HttpResponse:
    client = visible_client_or_404(request.user, client_id)
    # A block that names the user is answered like a missing one.
    block = services.blocks_shown_to(request.user, client).filter(pk=block_id).first()
    if block is None or not rules.test_rule("access.lift_block", request.user, block):
        raise Http404
    services.do_lift_block(by=request.user, block=block)
    messages.success(request, _("The block is lifted."))
    return redirect(reverse("access:blocks", kwargs={"client_id": client.pk}))
