from auditlog.context import disable_auditlog
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.urls import path
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from zhicheng.accounts import services
from zhicheng.accounts.authentication import PasswordChangeRequired
from zhicheng.common.api import lockout_json


class ProjectSessionScheme(SessionScheme):
    """OpenAPI: our session authentication is DRF's (plus the default-password refusal)."""

    target_class = "zhicheng.accounts.authentication.SessionAuthentication"


_DETAIL = inline_serializer(name="TokenErrorDetail", fields={"detail": serializers.CharField()})


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}.

    Failed attempts count towards the lockout (django-axes sees ``authenticate``); a locked
    account gets 429 with a Chinese message, an account still on its default password 403.
    The token is valid for ZHICHENG_TOKEN_TTL_HOURS; once it has expired this endpoint issues
    a fresh one. A password change or reset and a deactivation revoke it.
    """

    @extend_schema(
        responses={
            200: inline_serializer(
                name="AuthTokenIssued", fields={"token": serializers.CharField()}
            ),
            # 400 is the shared InvalidRequest: {"detail"} for a wrong password, field errors
            # for a missing user name or password.
            403: _DETAIL,
            429: _DETAIL,
        }
    )
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
        # authenticate() alone does not send. A token login opens no session: axes would
        # create one (a row, a cookie and a second write for the activity stamp) only to
        # hash its key into the log, for a client that never sends the cookie back. The
        # operation log leaves last_login out, so its diff (a read of the user) is skipped.
        with disable_auditlog():
            user_logged_in.send(
                sender=user.__class__, request=_Sessionless(request._request), user=user
            )
        return Response({"token": services.api_token_issue(user=user).key})


class _Sessionless:
    """A request as the login-log receivers see a token login: everything but the session."""

    def __init__(self, request) -> None:
        self._request = request

    def __getattr__(self, name: str):
        if name == "session":
            raise AttributeError(name)
        return getattr(self._request, name)


def register(router) -> None:
    pass


urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token")]
