"""Sign-up, log-in and resend forms, all keyed on the email address."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from exchange.core import mail
from learning.accounts import throttling

User = get_user_model()

# `username` holds the address, and Django's username column is 150 characters long.
EMAIL_MAX_LENGTH = User._meta.get_field("username").max_length


def normalise_email(value: str) -> str:
    """Addresses compare case-insensitively everywhere, so they are stored lower-cased."""
    return value.strip().lower()


def email_taken(email: str) -> bool:
    return User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()


def owner_of(request, email: str):
    """The signed-in user, if `email` is their own address; else None.

    A public form posted by a signed-in user with someone else's address belongs to that
    address, not to the account (and must not show on the account's dashboard: that would
    tell the poster whether the address had already applied or asked).
    """
    user = request.user
    if user.is_authenticated and user.email and user.email.lower() == email.lower():
        return user
    return None


def user_for_email(email: str):
    """The account an address logs in to: a learner's username, or an editor's unique email."""
    user = User.objects.filter(username__iexact=email).first()
    if user is None:
        matches = list(User.objects.filter(email__iexact=email)[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


def is_awaiting_verification(user) -> bool:
    """Signed up but never verified: inactive and has never logged in.

    An account that staff deactivated has logged in before, so it is not "awaiting
    verification" and a verification link cannot reactivate it.
    """
    return not user.is_active and user.last_login is None


class SignupForm(SetPasswordMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As it should appear on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("You log in with it. We send a link to it to check it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Password"), label2=_("Password again")
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self) -> str:
        # An address that already has an account is valid here: the view answers exactly as
        # for a new one and emails the account's owner, so the form tells nobody who has one.
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        self.validate_passwords()
        # Checked against the would-be account, so a password like the address is refused.
        candidate = User(
            username=self.cleaned_data.get("email", ""),
            email=self.cleaned_data.get("email", ""),
            first_name=self.cleaned_data.get("name", ""),
        )
        self.validate_password_for_user(candidate, password_field_name="password1")
        return self.cleaned_data

    def save(self):
        """An inactive account: it can log in once its owner verifies the address.

        The whole name goes in `first_name` (names do not split into first and last
        everywhere), so `get_full_name()` returns it as typed.
        """
        email = self.cleaned_data["email"]
        user = User(username=email, email=email, first_name=self.cleaned_data["name"])
        user.is_active = False
        return self.set_password_and_save(user)


class LoginForm(AuthenticationForm):
    """Django's login form with the email address as the login and clearer refusals."""

    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "That email address and password do not match an account. "
            "Check both, or reset your password."
        ),
        "unverified": _(
            "Please verify your email address first: open the link in the email we sent you "
            "when you signed up."
        ),
        "inactive": _("This account has been closed. Contact us if you think this is a mistake."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.initial.get("username"):
            # The address is filled in (just verified): the password is what is left to type.
            del self.fields["username"].widget.attrs["autofocus"]
            self.fields["password"].widget.attrs["autofocus"] = True

    @sensitive_variables("password")
    def clean(self):
        """Check the password exactly once (one run of the hasher) whatever the account's state,
        so how long a refusal takes tells nothing about the account."""
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email is None or not password:
            return self.cleaned_data
        email = normalise_email(email)
        account = user_for_email(email)
        username = account.get_username() if account else email
        if account is not None and not account.is_active:
            # Django's backend refuses inactive accounts after checking the password but
            # without saying whether it matched; checking it again here would run the hasher
            # twice. So it is checked once, here, and only someone who knows it learns that
            # the account exists and is waiting for verification.
            if self.request is not None and not throttling.paused(self.request, username).allowed:
                raise self.get_invalid_login_error()
            if account.check_password(password):
                code = "unverified" if is_awaiting_verification(account) else "inactive"
                raise ValidationError(self.error_messages[code], code=code)
            user_login_failed.send(
                sender=__name__, credentials={"username": username}, request=self.request
            )
            raise self.get_invalid_login_error()
        # An unknown address costs one hash too: Django's backend hashes the password anyway.
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is None:
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data

    def get_invalid_login_error(self):
        pause = throttling.pause_of(self.request)
        if pause is not None:
            return ValidationError(throttling.paused_message(pause), code="paused")
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")

    @property
    def needs_verification(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, "unverified")


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's admin log-in form (`WAGTAILADMIN_USER_LOGIN_FORM`), saying so when log-in is
    paused after too many failures (see `learning.accounts.throttling`)."""

    def get_invalid_login_error(self):
        pause = throttling.pause_of(self.request)
        if pause is not None:
            return ValidationError(throttling.paused_message(pause), code="paused")
        return super().get_invalid_login_error()


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_email(self) -> str:
        return normalise_email(self.cleaned_data["email"])

    def account(self):
        """The account waiting for verification at this address, if there is one."""
        user = User.objects.filter(username__iexact=self.cleaned_data["email"]).first()
        return user if user is not None and is_awaiting_verification(user) else None


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, with two changes.

    An account still awaiting verification can choose its password here: the emailed link
    proves the address is theirs (`PasswordResetConfirmView` then activates the account). It
    is how the owner of an address takes back an account someone else started with it, and
    that person's password does not survive.

    The email leaves through `exchange.core.mail` (a task, after the commit), with its link on
    `PUBLIC_URL` when that is set.
    """

    def get_users(self, email):
        candidates = User._default_manager.filter(email__iexact=email)
        return (
            user
            for user in candidates
            if (user.is_active and user.has_usable_password()) or is_awaiting_verification(user)
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        if settings.PUBLIC_URL:
            address = urlsplit(settings.PUBLIC_URL)
            context = {**context, "protocol": address.scheme, "domain": address.netloc}
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        mail.send(subject, body, [to_email])
