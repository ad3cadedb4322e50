from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}. Failed attempts count towards the lockout."""


def register(router) -> None:
    pass


urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token")]
