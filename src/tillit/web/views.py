from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tillit.web.roles import start_cards


@login_required
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "web/start.html",
        {
            "role_label": user.get_role_display() if user.role else "",
            "capabilities": start_cards(user.role),
            "district": user.district,
        },
    )
