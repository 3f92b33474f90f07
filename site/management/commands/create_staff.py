"""Create a Support Unit account, or give an existing one more roles.

Each role is one of the groups the migrations create, so the account gets exactly the
permissions the rest of the site documents for it (README, "Staff accounts"):

- editor: Editors (Wagtail): draft and submit pages, edit reference data;
- moderator: Moderators (Wagtail): also approve and publish;
- reviewer: Fellowship reviewers (learning 0004): read and score applications;
- broker: Introduction brokers (learning 0006): the peer-introduction queue.

No password is ever typed on the command line (it would stay in the shell's history): a new
account gets a one-time link, printed here, where its owner chooses one.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from learning.accounts.forms import normalise_email, user_for_email

ROLES = {
    "editor": "Editors",
    "moderator": "Moderators",
    "reviewer": "Fellowship reviewers",
    "broker": "Introduction brokers",
}


class Command(BaseCommand):
    help = "Create a staff account in the groups of the given roles (or add roles to one)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The address the person logs in with.")
        parser.add_argument(
            "--role",
            action="append",
            required=True,
            choices=sorted(ROLES),
            help="Repeat for several roles: --role editor --role broker.",
        )
        parser.add_argument("--name", default="", help="Full name, as shown in the admin.")

    def handle(self, *args, email, role, name, **options):
        email = normalise_email(email)
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{email!r} is not an email address.") from error
        groups = []
        for wanted in dict.fromkeys(role):
            group = Group.objects.filter(name=ROLES[wanted]).first()
            if group is None:
                raise CommandError(f"The group {ROLES[wanted]!r} is missing: run `migrate` first.")
            groups.append(group)

        with transaction.atomic():
            user = user_for_email(email)
            created = user is None
            if created:
                user = get_user_model()(username=email, email=email, first_name=name)
                user.set_unusable_password()
                user.save()
            elif not user.is_active:
                raise CommandError(f"The account {email} is closed or not verified; not changed.")
            user.groups.add(*groups)

        names = ", ".join(group.name for group in groups)
        if not created:
            self.stdout.write(f"{email} already had an account; it is now in: {names}.")
            return
        self.stdout.write(f"Created {email} in: {names}.")
        self.stdout.write(
            "Send them this link to choose a password (it works once, for "
            f"{settings.PASSWORD_RESET_TIMEOUT // 86400} days), then they log in at /admin/:"
        )
        self.stdout.write(self.password_link(user))

    @staticmethod
    def password_link(user) -> str:
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        return settings.WAGTAILADMIN_BASE_URL + path
