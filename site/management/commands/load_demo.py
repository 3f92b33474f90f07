from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from exchange.page_tree import ensure_page_tree
from exchange.sample_translations import load_sample_translations


class Command(BaseCommand):
    help = (
        "Set up the page tree, import the real data (themes, World Bank countries, OGP "
        "commitments), publish the sample case studies, courses and fellowships with their "
        "sample French and Spanish translations, and build the search index. Safe to run "
        "again: it updates."
    )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        ensure_page_tree()
        call_command("import_themes", verbosity=verbosity)
        call_command("import_countries", verbosity=verbosity)
        call_command("import_ogp_members", verbosity=verbosity)
        call_command("import_commitments", verbosity=verbosity)
        call_command("import_reform_records", verbosity=verbosity)
        call_command(
            "import_case_studies", settings.SAMPLE_CONTENT_DIR, publish=True, verbosity=verbosity
        )
        call_command(
            "import_courses",
            settings.BASE_DIR / "learning" / "sample_content",
            publish=True,
            verbosity=verbosity,
        )
        call_command(
            "import_fellowships",
            settings.BASE_DIR / "learning" / "sample_content" / "fellowships" / "fellowships.yaml",
            publish=True,
            verbosity=verbosity,
        )
        translations = load_sample_translations()
        if verbosity:
            self.stdout.write(
                f"Sample translations: {len(translations.created)} created, "
                f"{len(translations.updated)} updated, {translations.unchanged} unchanged."
            )
        call_command("search_index", "rebuild", verbosity=verbosity)
        if verbosity:
            self.stdout.write(
                "Demo content ready. To edit in /admin/, create an account with "
                "`.venv/bin/python manage.py createsuperuser`."
            )
