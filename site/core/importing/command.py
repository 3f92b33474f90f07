"""Shared behaviour of the import commands: progress bars and problem reports."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from exchange.core.importing.base import ImportFailed


class ImportCommand(BaseCommand):
    label = "records"

    def progress(self, iterable):
        """A progress bar on stderr, hidden when the command runs quietly (tests, CI logs)."""
        items = list(iterable)
        return tqdm(
            items,
            desc=f"Importing {self.label}",
            unit=" " + self.label,
            disable=self.verbosity < 1,
            file=self.stderr._out,
            leave=False,
        )

    def run_import(self, run):
        try:
            result = run()
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(failure.problems)} problem(s) found; nothing was imported."
            ) from failure
        if self.verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"{self.label.capitalize()}: {result}"))
        return result

    def execute(self, *args, **options):
        self.verbosity = options.get("verbosity", 1)
        return super().execute(*args, **options)
