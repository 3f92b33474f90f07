from pathlib import Path

from casestudies.importers.members import default_path, import_members
from exchange.core.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Set each country's OGP membership (status, year joined, source) from the national "
        "members CSV; countries it does not name are not members. All-or-nothing: any bad row "
        "imports nothing, and every bad row is reported. Run import_countries first."
    )
    label = "members"

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=None, help=f"CSV file (default: {default_path()})"
        )

    def handle(self, *args, path, **options):
        path = Path(path) if path else None  # a str when passed by keyword to call_command
        self.run_import(lambda: import_members(path, progress=self.progress))
