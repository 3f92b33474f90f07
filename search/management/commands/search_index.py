from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import documents
from search.backends import FallbackSearch, get_search_backend
from search.backends.base import BackendUnavailable
from search.backends.embedded import EmbeddedBackend
from search.models import PendingIndexUpdate
from search.sync import flush_pending_updates


class Command(BaseCommand):
    help = (
        "rebuild: recreate the search index from the database (on Elasticsearch a new "
        "versioned index is built, then the alias is swapped, so search never goes dark). "
        "sync: send queued updates to Elasticsearch. status: what is indexed and queued."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "sync", "status"])

    def handle(self, *args, action, **options):
        self.verbosity = options["verbosity"]
        getattr(self, action)()

    def _rebuild_one(self, backend, label):
        total = documents.count_documents()
        with tqdm(
            total=total,
            desc=f"Indexing ({label})",
            unit=" docs",
            disable=self.verbosity < 1,
            file=self.stderr._out,
        ) as bar:
            written = backend.rebuild(documents.all_documents(), progress=bar.update)
        if self.verbosity:
            self.stdout.write(self.style.SUCCESS(f"{label}: {written} documents indexed"))

    def rebuild(self):
        self._rebuild_one(EmbeddedBackend(), "embedded")
        backend = get_search_backend()
        if isinstance(backend, FallbackSearch):
            try:
                self._rebuild_one(backend.primary, "elasticsearch")
            except BackendUnavailable as error:
                raise CommandError(
                    f"Elasticsearch is unavailable ({error}); the embedded index was rebuilt "
                    "and the site keeps answering from it."
                ) from error
            PendingIndexUpdate.objects.all().delete()

    def sync(self):
        applied = flush_pending_updates.call(force=True)
        left = PendingIndexUpdate.objects.count()
        self.stdout.write(f"{applied} update(s) sent, {left} still queued")
        if left:
            raise CommandError("Elasticsearch did not accept every update; they stay queued.")

    def status(self):
        backend = get_search_backend()
        self.stdout.write(f"backend: {backend.name}")
        self.stdout.write(f"database documents: {documents.count_documents()}")
        self.stdout.write(f"embedded index: {EmbeddedBackend().count()}")
        if isinstance(backend, FallbackSearch):
            try:
                self.stdout.write(f"elasticsearch index: {backend.primary.count()}")
            except BackendUnavailable as error:
                self.stdout.write(f"elasticsearch: unavailable ({error})")
            self.stdout.write(f"queued updates: {PendingIndexUpdate.objects.count()}")
