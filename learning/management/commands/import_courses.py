from pathlib import Path

from exchange.core.importing.command import ImportCommand
from learning.course_import import import_courses


class Command(ImportCommand):
    help = (
        "Create or update courses, with their modules and lessons, from a folder of YAML files "
        "(see docs/course-format.md). Every file is checked first; if any has a problem, "
        "nothing is imported. New pages are drafts unless --publish."
    )
    label = "course pages"

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--publish", action="store_true", help="publish new and changed pages")

    def progress(self, iterable):
        # The bar counts course files; the result counts pages (courses, modules, lessons).
        label, self.label = self.label, "courses"
        try:
            return super().progress(iterable)
        finally:
            self.label = label

    def handle(self, *args, folder, publish, **options):
        folder = Path(folder)  # a str when passed by keyword to call_command
        self.run_import(lambda: import_courses(folder, publish=publish, progress=self.progress))
