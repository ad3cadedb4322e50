from zhicheng.inbox.selectors import unread_count
from zhicheng.portal.menu import menu_for


def menu(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    entries = menu_for(user, request.path)
    # has_menu: whether to draw the sidebar (and its toggle) at all — not for an empty menu.
    return {
        "menu": entries,
        "has_menu": bool(entries["guide"] or entries["system"]),
        # 消息 in the top bar, with the unread count as a badge (a lazy count: pages without
        # the bar do not query it).
        "inbox_unread": lambda: unread_count(user=user),
    }
