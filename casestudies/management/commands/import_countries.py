from pathlib import Path

from casestudies.importers.countries import CountryFiles, import_countries
from exchange.core.importing.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Create or update countries from the World Bank files (classification, population, "
        "GDP per capita, governance indicators). All-or-nothing: any bad row imports nothing."
    )
    label = "countries"

    def add_arguments(self, parser):
        defaults = CountryFiles.defaults()
        parser.add_argument("--metadata", type=Path, default=defaults.metadata)
        parser.add_argument("--population", type=Path, default=defaults.population)
        parser.add_argument("--gdp", type=Path, default=defaults.gdp_per_capita)
        parser.add_argument("--wgi", type=Path, default=defaults.wgi)

    def handle(self, *args, metadata, population, gdp, wgi, **options):
        # Path() again: call_command(population="…") passes options without argparse's type.
        files = CountryFiles(*(Path(path) for path in (metadata, population, gdp, wgi)))
        self.run_import(lambda: import_countries(files, progress=self.progress))
