"""The reference application's URLconf (bare_settings): one view that does nothing."""

from django.http import HttpResponse
from django.urls import path


def bare_view(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", bare_view)]
