"""Kept because migration 0005 names `learning.models.introductions.new_access_token`: the
introduction models are in learning/introductions/models.py."""

from learning.introductions.models import new_access_token

__all__ = ["new_access_token"]
