"""API authentication: DRF's token and session classes, refusing accounts on a default password.

A separate module (not ``zhicheng.common.api``) because DRF imports the authentication classes
while ``rest_framework.views`` is still loading.
"""

from rest_framework import authentication, exceptions

MUST_CHANGE_PASSWORD_MESSAGE = "您使用的是初始密码，请先登录系统网页修改密码后再使用接口"
TOKEN_EXPIRED_MESSAGE = "登录凭证（Token）已过期，请重新获取"


class PasswordChangeRequired(exceptions.PermissionDenied):
    default_detail = MUST_CHANGE_PASSWORD_MESSAGE
    default_code = "password_change_required"


def _refuse_default_password(user_auth: tuple | None) -> tuple | None:
    if user_auth is not None and getattr(user_auth[0], "must_change_password", False):
        raise PasswordChangeRequired()
    return user_auth


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``; an account still on its default password gets 403, an
    expired token (ZHICHENG_TOKEN_TTL_HOURS) is deleted and gets 401."""

    def authenticate(self, request):
        return _refuse_default_password(super().authenticate(request))

    def authenticate_credentials(self, key):
        # Imported here: DRF imports this module while rest_framework.views is still loading.
        from zhicheng.accounts import services

        user, token = super().authenticate_credentials(key)
        if services.api_token_expired(token):
            services.api_tokens_revoke(user=user)
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED_MESSAGE)
        return user, token


class SessionAuthentication(authentication.SessionAuthentication):
    """The web UI's session (with CSRF); an account on its default password gets 403."""

    def authenticate(self, request):
        return _refuse_default_password(super().authenticate(request))

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                "CSRF 校验失败，请刷新页面后重试（网页会话的写请求须携带 X-CSRFToken 请求头）"
            ) from None
