"""Kept because migration 0007 names `learning.models.fellowships.validate_time_zone`: the
fellowship models are in learning/fellowships/models.py."""

from learning.fellowships.models import validate_time_zone

__all__ = ["validate_time_zone"]
