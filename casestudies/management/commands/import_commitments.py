from pathlib import Path

from casestudies.importers.command import ImportCommand
from casestudies.importers.commitments import default_path, import_commitments


class Command(ImportCommand):
    help = (
        "Create or update IRM-rated commitments from the OGP commitments CSV. "
        "All-or-nothing: any bad row imports nothing, and every bad row is reported."
    )
    label = "commitments"

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=None, help=f"CSV file (default: {default_path()})"
        )

    def handle(self, *args, path, **options):
        path = Path(path) if path else None  # a str when passed by keyword to call_command
        self.run_import(lambda: import_commitments(path, progress=self.progress))
