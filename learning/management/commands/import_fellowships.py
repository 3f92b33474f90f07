from pathlib import Path

from casestudies.importers.command import ImportCommand
from learning.fellowship_importer import import_fellowships


class Command(ImportCommand):
    help = (
        "Create or update fellowship pages from a YAML file (see "
        "learning/sample_content/fellowships/fellowships.yaml). Every entry is checked first; "
        "if any has a problem, nothing is imported. New pages are drafts unless --publish."
    )
    label = "fellowships"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--publish", action="store_true", help="publish new and changed pages")

    def handle(self, *args, path, publish, **options):
        self.run_import(lambda: import_fellowships(Path(path), publish=publish))
