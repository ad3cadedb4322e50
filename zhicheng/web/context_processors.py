from zhicheng.web.menu import menu_for


def menu(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"menu": menu_for(user, request.path)}
