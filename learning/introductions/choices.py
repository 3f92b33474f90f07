"""The statuses an introduction request moves through."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IntroductionStatus(models.TextChoices):
    """Declared in workflow order: `list(IntroductionStatus)` is the order a request moves in."""

    NEW = "new", _("New")
    CONTACTED = "contacted", _("Peer contacted")
    INTRODUCED = "introduced", _("Introduced")
    CLOSED = "closed", _("Closed")


# Requests waiting for the Support Unit: one person may not have two of these open for
# the same peer country and theme (or two without a theme), which the database enforces
# (`IntroductionRequest.Meta.constraints`), so simultaneous submissions cannot both land.
OPEN_STATUSES = (IntroductionStatus.NEW, IntroductionStatus.CONTACTED)
