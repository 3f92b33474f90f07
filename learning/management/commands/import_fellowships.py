from pathlib import Path

from exchange.core.importing.command import ImportCommand
from learning.fellowships.importer import import_fellowships


class Command(ImportCommand):
    help = (
        "Create or update fellowship pages from YAML: a folder of .yaml files (see "
        "learning/sample_content/fellowships/) or one file. Every entry is checked first; "
        "if any has a problem, nothing is imported. New pages are drafts unless --publish."
    )
    label = "fellowships"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="a folder of .yaml files, or one .yaml file")
        parser.add_argument("--publish", action="store_true", help="publish new and changed pages")

    def handle(self, *args, path, publish, **options):
        self.run_import(lambda: import_fellowships(Path(path), publish=publish))
