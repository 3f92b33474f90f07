from pathlib import Path

from django.core.management.base import CommandError

from casestudies.importers.reforms import IMPORTERS, import_reform_records
from casestudies.models import ReformSource
from exchange.core.importing.base import ImportFailed
from exchange.core.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Replace the reform records of one source (--source) or of all of them with what "
        "their files say: Open Contracting Partnership (OCDS publishers), Open Ownership "
        "(beneficial-ownership commitments and registers). All-or-nothing: any problem "
        "imports nothing, and every problem is reported with its file and line."
    )
    label = "reform records"

    def add_arguments(self, parser):
        sources = [importer.source for importer in IMPORTERS]
        parser.add_argument(
            "--source", choices=sources, default=None, help="one source (default: all)"
        )
        defaults = "; ".join(
            f"{importer.source}: {importer.description}, default {importer.default_path()}"
            for importer in IMPORTERS
        )
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            default=None,
            help=f"the source's files (needs --source). {defaults}",
        )

    def handle(self, *args, source, path, **options):
        if path is not None and source is None:
            raise CommandError("PATH is one source's files: name the source with --source.")
        path = Path(path) if path else None  # a str when passed by keyword to call_command
        try:
            results = import_reform_records(source, path, progress=self.progress)
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(failure.problems)} problem(s) found; nothing was imported."
            ) from failure
        if self.verbosity < 1:
            return
        for name, result in results.items():
            label = ReformSource(name).label
            self.stdout.write(self.style.SUCCESS(f"{label}: {result}"))
            for note in result.notes:
                self.stdout.write(f"  {note}")
