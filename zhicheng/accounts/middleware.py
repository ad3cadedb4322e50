from django.shortcuts import redirect
from django.urls import reverse


class ForcePasswordChangeMiddleware:
    """A user created with a default password must set their own before doing anything else."""

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
            return redirect(reverse("accounts:password-change"))
        return self.get_response(request)
