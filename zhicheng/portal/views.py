from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from zhicheng.portal import dashboard
from zhicheng.portal.menu import GUIDE_BY_CODE


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    if request.user.is_applicant:
        # 申报人 land on their own workspace (我的申报), not the officers' dashboard.
        return redirect("persons:workspace")
    if request.user.is_committee:
        # 评委会账号 land on their committee's workspace (committees.views.workspace).
        return redirect("committees:workspace")
    return render(
        request,
        "web/home.html",
        {
            "todo_cards": dashboard.todo_cards(request.user),
            "status_chart": dashboard.status_chart(request.user),
        },
    )


@login_required
def function_pending(request, code: str):
    entry = GUIDE_BY_CODE.get(code)
    if entry is None:
        raise Http404("功能不存在")
    return render(request, "web/function_pending.html", {"entry": entry, "active_menu": code})
