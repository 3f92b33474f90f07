"""Signals other apps listen to; importers write in bulk, so model signals do not fire."""

from django.dispatch import Signal

# Sent after an import changed commitments (bulk writes bypass post_save).
commitments_imported = Signal()
# Sent after an import changed countries (World Bank data or OGP membership).
countries_imported = Signal()
