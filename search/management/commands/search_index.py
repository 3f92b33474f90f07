from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import registry
from search.backends import get_search_backend
from search.backends.base import BackendUnavailable
from search.models import PendingIndexUpdate
from search.sync import flush_pending_updates


class Command(BaseCommand):
    help = (
        "rebuild: recreate the search index from the database (with Elasticsearch, the "
        "embedded index too; Elasticsearch fills a new versioned index, then swaps the "
        "alias, so search never goes dark). sync: send the updates Elasticsearch missed "
        "(rebuilding its index if it lost it). status: what is indexed, per type, and queued."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "sync", "status"])

    def handle(self, *args, action, **options):
        self.verbosity = options["verbosity"]
        getattr(self, action)()

    def rebuild(self):
        backend = get_search_backend()
        with tqdm(
            total=registry.count_documents(),
            desc=f"Indexing ({backend.name})",
            unit=" docs",
            disable=self.verbosity < 1,
            file=self.stderr._out,
        ) as bar:
            try:
                written = backend.rebuild(registry.all_documents(), progress=bar.update)
            except BackendUnavailable as error:
                raise CommandError(
                    f"The search server is unavailable ({error}); the embedded index was "
                    "rebuilt and the site keeps answering from it."
                ) from error
        if self.verbosity:
            self.stdout.write(self.style.SUCCESS(f"{backend.name}: {written} documents indexed"))

    def sync(self):
        sent = flush_pending_updates.call(force=True)
        left = PendingIndexUpdate.objects.count()
        self.stdout.write(f"{sent} document(s) sent, {left} update(s) still queued")
        if left:
            raise CommandError("The search server did not accept every update; they stay queued.")

    def status(self):
        backend = get_search_backend()
        counts = registry.counts()
        self.stdout.write(f"backend: {backend.name}")
        self.stdout.write(f"database documents: {sum(counts.values())}")
        for name, count in counts.items():
            self.stdout.write(f"  {name}: {count}")
        for label, value in backend.describe().items():
            self.stdout.write(f"{label}: {value}")
