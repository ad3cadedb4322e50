"""``{% review_form_panel app %}``: the 评审表 card of an application's detail. A template
hook, so the applications app needs no Python import of this one."""

from django import template

from zhicheng.reviewforms import selectors

register = template.Library()


@register.inclusion_tag("reviewforms/_panel.html", takes_context=True)
def review_form_panel(context, application):
    request = context["request"]
    panel = selectors.review_form_panel(user=request.user, application=application)
    panel["csrf_token"] = context.get("csrf_token")
    return panel
