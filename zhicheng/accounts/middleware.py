from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class ForcePasswordChangeMiddleware:
    """A user created with a default password must set their own before doing anything else.

    Pages redirect to the change page (HTMX requests get ``HX-Redirect`` so the whole page
    changes, not a fragment). The API is left to the DRF authentication classes in
    ``zhicheng.common.api``, which answer 403 with a Chinese message: token users are only
    known after DRF has authenticated them.
    """

    allowed_prefixes = ("/password/", "/logout/", "/static/", "/healthz", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(self.allowed_prefixes)
        ):
            url = reverse("accounts:password-change")
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
        return self.get_response(request)
