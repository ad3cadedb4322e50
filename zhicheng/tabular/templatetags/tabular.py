from django import template

from zhicheng.tabular import reader
from zhicheng.tabular.engine import ImportSpec, get_import_spec

register = template.Library()


@register.simple_tag(takes_context=True)
def import_spec(context, key: str) -> ImportSpec | None:
    """``{% import_spec importer_key as spec %}``: the spec, or None if unknown or not allowed."""
    try:
        spec = get_import_spec(key)
    except LookupError:
        return None
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm(spec.permission):
        return None
    return spec


@register.simple_tag
def import_limits() -> dict[str, int]:
    """``{% import_limits as limits %}``: ``limits.max_mb``, ``limits.max_rows``."""
    return {"max_mb": reader.max_bytes() // (1024 * 1024), "max_rows": reader.max_rows()}
