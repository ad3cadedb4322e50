from django import template

from zhicheng.routing.notice import notice_html

register = template.Library()


@register.filter(name="notice_html")
def notice_html_filter(text: str):
    """Render a 申报须知 (escaped text with light formatting, see routing.notice)."""
    return notice_html(text)
