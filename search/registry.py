"""The searchable types: what each indexes, from which models, and what reindexes it.

One list, the way django-modelsearch keeps `get_indexed_models()`: the index sync
(search/sync.py), its signal wiring (search/signals.py), `search_index rebuild` and the
counts in `search_index status` all loop over `TYPES`, so a new searchable type is one
entry here and one document builder in search/documents.py.

Each type names
- the model and the queryset of what is searchable (live, public pages only), loaded
  with what its document builder reads;
- how its document id is made (`<type>-<key>`);
- the related models whose fields its documents copy (`Related`): a country's name,
  region and income group, a theme's slug. Editing one of those fields reindexes every
  document of the type that reaches it through `path`.

Pages also change URL when they or an ancestor move or change slug: `subtree_doc_ids`
finds the documents below a page for that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.apps import apps
from django.db import models

from exchange.core.visibility import live_public
from search import documents
from search.backends.base import IndexDocument

CHUNK_SIZE = 500
# What documents copy from the reference data (search/documents.py `_country_fields`,
# `themes`): edits to other fields (population, synonyms) leave the index alone.
COUNTRY_FIELDS = ("iso3", "name", "region", "income_group")
THEME_FIELDS = ("slug",)


@dataclass(frozen=True)
class Related:
    """A model whose edits reindex documents: `path` leads to it from the indexed model."""

    model: str  # "app_label.ModelName"
    path: str
    fields: tuple[str, ...]  # only a change to one of these reindexes

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)


@dataclass(frozen=True)
class SearchableType:
    name: str  # the document `type`, and the prefix of its document ids
    model: str  # "app_label.ModelName"
    build: Callable[[models.Model], IndexDocument]
    key: str = "pk"  # the field after the prefix in a document id
    pages: bool = False  # Wagtail pages: only live, public ones are searchable
    select: tuple[str, ...] = ()  # what `build` reads, loaded with the rows
    prefetch: tuple[str, ...] = ()
    related: tuple[Related, ...] = ()

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    def indexed(self) -> models.QuerySet:
        """Everything of this type that is searchable, ready for `build`."""
        queryset = self.model_class.objects.all()
        if self.pages:
            # One document per page: its translations (other locales) are not indexed yet,
            # or every hit would come three times (exchange.localized_serving serves them).
            queryset = live_public(queryset)
        return queryset.select_related(*self.select).prefetch_related(*self.prefetch)

    def doc_id(self, instance) -> str:
        return f"{self.name}-{getattr(instance, self.key)}"

    def documents(self, queryset: models.QuerySet | None = None) -> Iterator[IndexDocument]:
        queryset = self.indexed() if queryset is None else queryset
        for instance in queryset.order_by("pk").iterator(chunk_size=CHUNK_SIZE):
            yield self.build(instance)

    def count(self) -> int:
        return self.indexed().count()

    def doc_ids(self, queryset: models.QuerySet) -> list[str]:
        """The document ids of `queryset`'s rows, searchable or not (a stale one is removed)."""
        return [f"{self.name}-{key}" for key in queryset.values_list(self.key, flat=True)]

    def related_doc_ids(self, model: type[models.Model], pks: Iterable, fields=None) -> list[str]:
        """Documents of this type that copy something from these rows of `model`.

        `fields`: the fields that changed (None: any); a relation whose copied fields
        did not change is skipped.
        """
        paths = [
            related.path
            for related in self.related
            if related.model_class is model
            and (fields is None or set(related.fields) & set(fields))
        ]
        if not paths:
            return []
        condition = models.Q()
        for path in paths:
            condition |= models.Q(**{f"{path}__in": list(pks)})
        return self.doc_ids(self.model_class.objects.filter(condition).distinct())


def country(path: str) -> Related:
    return Related("casestudies.Country", path, COUNTRY_FIELDS)


def themes(path: str) -> Related:
    return Related("casestudies.Theme", path, THEME_FIELDS)


# In the order facets list the types (search.backends.base.DOCUMENT_TYPES).
TYPES: tuple[SearchableType, ...] = (
    SearchableType(
        name="casestudy",
        model="casestudies.CaseStudyPage",
        build=documents.from_case_study,
        pages=True,
        select=("country",),
        prefetch=("themes",),
        related=(country("country"), themes("themes")),
    ),
    SearchableType(
        name="commitment",
        model="casestudies.Commitment",
        build=documents.from_commitment,
        key="identifier",
        select=("country",),
        prefetch=("themes",),
        related=(country("country"), themes("themes")),
    ),
    SearchableType(
        name="course",
        model="learning.CoursePage",
        build=documents.from_course,
        pages=True,
        prefetch=("themes",),
        related=(themes("themes"),),
    ),
    SearchableType(
        name="fellowship",
        model="learning.FellowshipPage",
        build=documents.from_fellowship,
        pages=True,
        select=("host_country",),
        prefetch=("themes",),
        related=(country("host_country"), themes("themes")),
    ),
    SearchableType(
        name="reform",
        model="casestudies.ReformRecord",
        build=documents.from_reform_record,
        select=("country", "theme"),
        related=(country("country"), themes("theme")),
    ),
)
BY_NAME = {searchable.name: searchable for searchable in TYPES}


def get(name: str) -> SearchableType:
    return BY_NAME[name]


def type_of(instance) -> SearchableType | None:
    """The type `instance` is indexed as (page signals send the specific page)."""
    for searchable in TYPES:
        if isinstance(instance, searchable.model_class):
            return searchable
    return None


def doc_id_for(instance) -> str | None:
    searchable = type_of(instance)
    return searchable.doc_id(instance) if searchable else None


def related_models() -> dict[type[models.Model], tuple[str, ...]]:
    """Every related model, with the fields any type copies from it."""
    fields: dict[type[models.Model], set[str]] = defaultdict(set)
    for searchable in TYPES:
        for related in searchable.related:
            fields[related.model_class].update(related.fields)
    return {model: tuple(sorted(names)) for model, names in fields.items()}


def related_doc_ids(model: type[models.Model], pks: Iterable, fields=None) -> list[str]:
    """Documents of every type that copy something from these rows of `model`."""
    pks = list(pks)
    if not pks:
        return []
    return [
        doc_id for searchable in TYPES for doc_id in searchable.related_doc_ids(model, pks, fields)
    ]


def subtree_doc_ids(page) -> list[str]:
    """Documents of the pages at and below `page` (their URLs follow its path)."""
    return [
        doc_id
        for searchable in TYPES
        if searchable.pages
        for doc_id in searchable.doc_ids(
            searchable.model_class.objects.descendant_of(page, inclusive=True)
        )
    ]


def documents_for_ids(doc_ids: Iterable[str]) -> tuple[list[IndexDocument], list[str]]:
    """(current documents, ids with nothing searchable behind them), from the database.

    One query per type (plus its prefetches), whatever the number of ids; unknown types
    and keys count as gone, so their stale documents get removed.
    """
    keys: dict[str, dict[str, str]] = defaultdict(dict)
    gone = []
    for doc_id in dict.fromkeys(doc_ids):
        name, _, key = doc_id.partition("-")
        if name in BY_NAME and key:
            keys[name][key] = doc_id
        else:
            gone.append(doc_id)
    found = []
    for name, by_key in keys.items():
        searchable = BY_NAME[name]
        wanted = list(by_key)
        if searchable.key == "pk":
            wanted = [key for key in wanted if key.isdigit()]
        rows = searchable.indexed().filter(**{f"{searchable.key}__in": wanted})
        built = {searchable.doc_id(row): searchable.build(row) for row in rows}
        found.extend(built.values())
        gone.extend(doc_id for doc_id in by_key.values() if doc_id not in built)
    return found, gone


def all_documents() -> Iterator[IndexDocument]:
    """Everything searchable, straight from the database (the source of truth)."""
    for searchable in TYPES:
        yield from searchable.documents()


def count_documents() -> int:
    return sum(counts().values())


def counts() -> dict[str, int]:
    """Searchable objects per type, as the database has them."""
    return {searchable.name: searchable.count() for searchable in TYPES}


def batched(items: Iterable, size: int = CHUNK_SIZE) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
