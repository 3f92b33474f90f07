from pathlib import Path

from casestudies.importers.commitments import (
    default_full_text_path,
    default_path,
    import_commitments,
)
from exchange.core.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update IRM-rated commitments from the OGP commitments CSV, with their "
        "full text from a second CSV. All-or-nothing: any bad row in either file imports "
        "nothing, and every bad row is reported."
    )
    label = "commitments"

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=None, help=f"CSV file (default: {default_path()})"
        )
        parser.add_argument(
            "--full-text",
            dest="full_text",
            type=Path,
            default=None,
            metavar="PATH",
            help=(
                "CSV of the commitments' full text, columns 'Commitment Unique Identifier' and "
                f"'Full Text' (default: {default_full_text_path()})"
            ),
        )

    def handle(self, *args, path, full_text, **options):
        # A str when passed by keyword to call_command.
        path = Path(path) if path else None
        full_text = Path(full_text) if full_text else None
        self.run_import(
            lambda: import_commitments(path, progress=self.progress, full_text_path=full_text)
        )
