from zhicheng.portal.menu import menu_for


def menu(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    entries = menu_for(user, request.path)
    # has_menu: whether to draw the sidebar (and its toggle) at all — not for an empty menu.
    return {"menu": entries, "has_menu": bool(entries["guide"] or entries["system"])}
