"""Sign-up and JWT tokens. The token endpoint signs in through django-axes like the sign-in
page (AxesStandaloneBackend runs first), so a locked-out address and IP get a JSON 429 here
too; every endpoint here is throttled per client IP (scope `auth`)."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import (
    TokenBlacklistView,
    TokenObtainPairView,
    TokenRefreshView,
)

from config.api import throttle_scope
from profiles.api.serializers import AccountSerializer, RegisterSerializer
from profiles.models import Account
from profiles.services import account_create, signup_allowed
from profiles.throttle import client_ip


def _tokens(account: Account) -> dict:
    refresh = RefreshToken.for_user(account)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@extend_schema(
    request=RegisterSerializer,
    responses={201: AccountSerializer, 400: OpenApiResponse(description="Invalid input")},
    summary="Create a household account; answers its first token pair",
)
@throttle_scope("auth")
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def register(request):
    form = RegisterSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    email, password = form.validated_data["email"], form.validated_data["password"]
    validate_password(password, user=Account(email=email))
    if not signup_allowed(ip=client_ip(request)):
        raise exceptions.Throttled(60 * 60, "Too many sign-ups from this address.")
    account = account_create(email=email, password=password)
    body = {"id": account.pk, "email": account.email, "tokens": _tokens(account)}
    return Response(body, status=status.HTTP_201_CREATED)


class LockedOut(exceptions.Throttled):
    default_code = "locked_out"


class TokenObtain(TokenObtainPairView):
    """E-mail and password -> an access and a refresh token."""

    throttle_scope = "auth"
    authentication_classes = []

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except exceptions.AuthenticationFailed:
            # AxesStandaloneBackend marks the request when the address and IP are locked out.
            if getattr(request, "axes_locked_out", False):
                wait = int(settings.AXES_COOLOFF_TIME.total_seconds())
                detail = "Too many failed sign-ins. Try again later."
                raise LockedOut(wait, detail, code="locked_out") from None
            raise


class TokenRefresh(TokenRefreshView):
    """A refresh token -> a new access token and a new refresh token (the old one is
    blacklisted: each refresh token works once)."""

    throttle_scope = "auth"
    authentication_classes = []


class TokenLogout(TokenBlacklistView):
    """Sign out: the refresh token is blacklisted; access tokens expire on their own."""

    throttle_scope = "auth"
    authentication_classes = []


token = TokenObtain.as_view()
token_refresh = TokenRefresh.as_view()
logout = TokenLogout.as_view()
