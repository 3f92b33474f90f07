"""`/data/`: the open-data page, the files (CSV and JSON) and their licences in plain text."""

from __future__ import annotations

from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from casestudies.opendata.datasets import DATASETS, Dataset, InvalidFilter
from casestudies.opendata.formats import csv_chunks, json_chunks

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@require_GET
def open_data(request):
    return render(
        request,
        "casestudies/open_data.html",
        {
            "datasets": list(DATASETS.values()),
            "licence_url": reverse("casestudies:open_data_licence"),
        },
    )


@require_GET
def licence_text(request):
    """Every file's sources, terms and attribution: what a CSV's `Link` header points to."""
    lines = [
        "Reform Exchange open data: sources, licences and attribution",
        f"Documentation: {request.build_absolute_uri(reverse('casestudies:open_data'))}",
        "",
    ]
    for dataset in DATASETS.values():
        lines += [f"== {dataset.slug}.csv and {dataset.slug}.json: {dataset.title}", ""]
        for licence in dataset.all_licences():
            lines += [
                f"Source: {licence.source}",
                f"Terms: {licence.terms}",
                f"Attribution: {licence.attribution}",
            ]
            if licence.url:
                lines.append(f"Licence: {licence.url}")
            if licence.source_url:
                lines.append(f"Taken from: {licence.source_url}")
            if licence.notice:
                lines += ["Notice (kept with the data as its licence requires):", licence.notice]
            lines.append("")
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _meta(request, dataset: Dataset, filters: dict) -> dict:
    documentation = request.build_absolute_uri(reverse("casestudies:open_data"))
    licences = dataset.all_licences()
    return {
        "dataset": dataset.slug,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "url": request.build_absolute_uri(),
        "documentation": f"{documentation}#{dataset.slug}",
        "filters": {name: values for name, values in filters.items() if values},
        "attribution": "; ".join(licence.attribution for licence in licences),
        "licences": [licence.as_json() for licence in licences],
        "columns": [
            {"name": column.name, "description": str(column.description)}
            for column in dataset.columns
        ],
    }


@require_GET
def download(request, dataset: str, file_format: str):
    chosen = DATASETS.get(dataset)
    if chosen is None or file_format not in CONTENT_TYPES:
        raise Http404("No such open-data file.")
    try:
        filters = chosen.read_filters(request.GET)
    except InvalidFilter as error:
        if file_format == "json":
            return JsonResponse({"error": str(error), "param": error.param}, status=400)
        return HttpResponseBadRequest(
            f"{error} (parameter '{error.param}')\n", content_type="text/plain; charset=utf-8"
        )
    rows = chosen.rows(filters, request)
    if file_format == "csv":
        chunks = csv_chunks(chosen.column_names, rows)
    else:
        chunks = json_chunks(_meta(request, chosen, filters), chosen.column_names, rows)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f'attachment; filename="reform-exchange-{chosen.slug}.{file_format}"'
    )
    licence = request.build_absolute_uri(reverse("casestudies:open_data_licence"))
    documentation = request.build_absolute_uri(reverse("casestudies:open_data"))
    response["Link"] = (
        f'<{licence}>; rel="license", <{documentation}#{chosen.slug}>; rel="describedby"'
    )
    return response
