"""Compiled translations for tests that read the French or Spanish interface.

`make test` compiles them first (`make messages`); a test run started any other way (one
file, an IDE) compiles them here when a .po file is newer than its .mo.
"""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import trans_real


def ensure_compiled_messages() -> None:
    stale = [
        po
        for folder in settings.LOCALE_PATHS
        for po in Path(folder).glob("*/LC_MESSAGES/*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if stale:
        call_command("compilemessages", verbosity=0, ignore_patterns=[".venv"])
        # Catalogues already loaded by this process would keep the old strings.
        trans_real._translations = {}
        trans_real._default = None
