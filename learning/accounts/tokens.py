"""Signed, expiring email-verification links.

The token is a `TimestampSigner` signature over the account id, the address it was sent
to and a fingerprint of the account's password, so it needs no database table; it stops
working after `MAX_AGE`, when the address or the password changes, or when the secret key
rotates. The password matters because whoever signs up chooses it without proving they own
the address: when a second sign-up for the address voids that password (views.signup), no
link sent for it, old or resent, can activate it any more.

Its signature is checked before its age, so an expired link can still say which account it
was for (and offer to resend), while a tampered one says nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

MAX_AGE = timedelta(days=3)
SALT = "learning.accounts.verify-email"


class InvalidToken(Exception):
    """Tampered, truncated or for an account or address that no longer exists."""


class ExpiredToken(Exception):
    """Genuine but older than `MAX_AGE`; `user` is the account it was issued for."""

    def __init__(self, user):
        super().__init__("verification link expired")
        self.user = user


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def _password_fingerprint(user) -> str:
    return salted_hmac(SALT, user.password).hexdigest()[:16]


def make_token(user) -> str:
    payload = {"id": user.pk, "email": user.email.lower(), "pw": _password_fingerprint(user)}
    return _signer().sign_object(payload, compress=True)


def check_token(token: str):
    """The user the token was issued for; raises `InvalidToken` or `ExpiredToken`."""
    signer = _signer()
    try:
        payload = signer.unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidToken from error
    if not isinstance(payload, dict):
        raise InvalidToken
    user = (
        get_user_model()
        .objects.filter(pk=payload.get("id"), email__iexact=payload.get("email") or "")
        .first()
    )
    if user is None or not constant_time_compare(
        str(payload.get("pw", "")), _password_fingerprint(user)
    ):
        raise InvalidToken
    try:
        signer.unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise ExpiredToken(user) from error
    return user
