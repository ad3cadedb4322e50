from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.urls import path
from drf_spectacular.authentication import SessionScheme
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from zhicheng.accounts.authentication import PasswordChangeRequired
from zhicheng.common.api import lockout_json


class ProjectSessionScheme(SessionScheme):
    """OpenAPI: our session authentication is DRF's (plus the default-password refusal)."""

    target_class = "zhicheng.accounts.authentication.SessionAuthentication"


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}.

    Failed attempts count towards the lockout (django-axes sees ``authenticate``); a locked
    account gets 429 with a Chinese message, an account still on its default password 403.
    """

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # Axes flags the (DRF) request it was given when the account is or becomes locked.
            if getattr(request, "axes_locked_out", False):
                minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
                return lockout_json(cooloff_minutes=minutes)
            if "non_field_errors" in serializer.errors:
                return Response({"detail": "用户名或密码错误"}, status=400)
            serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if user.must_change_password:
            raise PasswordChangeRequired()
        # The login log (axes AccessLog) records logins from the user_logged_in signal, which
        # authenticate() alone does not send.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        token, _ = Token.objects.get_or_create(user=user)  # lint: allow (DRF's own token row)
        return Response({"token": token.key})


def register(router) -> None:
    pass


urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token")]
