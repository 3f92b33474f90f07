"""Signed, expiring email-verification links.

The token is a `TimestampSigner` signature over the account id and the address it was sent
to, so it needs no database table; it stops working after `MAX_AGE`, when the address
changes, or when the secret key rotates. Its signature is checked before its age, so an
expired link can still say which account it was for (and offer to resend), while a tampered
one says nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core import signing

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


def make_token(user) -> str:
    return _signer().sign_object({"id": user.pk, "email": user.email.lower()}, compress=True)


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
    if user is None:
        raise InvalidToken
    try:
        signer.unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired as error:
        raise ExpiredToken(user) from error
    return user
