from pathlib import Path

from casestudies.importers.themes import THEMES_FILE, import_themes
from exchange.core.importing.command import ImportCommand


class Command(ImportCommand):
    help = "Create or update the OGP policy areas (themes) from casestudies/data/themes.yaml."
    label = "themes"

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=THEMES_FILE)

    def handle(self, *args, path, **options):
        self.run_import(lambda: import_themes(Path(path)))  # Path(): str via call_command
