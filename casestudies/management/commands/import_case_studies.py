from pathlib import Path

from casestudies.importers.case_studies import import_case_studies
from exchange.core.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update case study pages from a folder of Markdown files with front matter "
        "(see docs/case-study-format.md). New pages are drafts unless --publish."
    )
    label = "case studies"

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--publish", action="store_true", help="publish new and changed pages")

    def handle(self, *args, folder, publish, **options):
        folder = Path(folder)  # a str when passed by keyword to call_command
        self.run_import(
            lambda: import_case_studies(folder, publish=publish, progress=self.progress)
        )
