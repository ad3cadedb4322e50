"""``{% applicant_applications %}``: the applicant's applications, for the
workspace (我的申报, ``persons/workspace.html``)."""

from django import template

from zhicheng.applications import selectors, services

register = template.Library()


@register.inclusion_tag("applications/_workspace.html", takes_context=True)
def applicant_applications(context) -> dict:
    request = context["request"]
    user = request.user
    applications = list(selectors.applications_of_applicant(user=user))
    for app in applications:
        app.where_now = services.where_now(app)
    return {
        "request": request,
        "user": user,
        "applications": applications,
        "csrf_token": context.get("csrf_token"),
    }
