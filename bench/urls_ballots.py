"""The project's URLs plus a bare view, for bench/ballots.py."""

from django.http import HttpResponse
from django.urls import include, path


def bare_view(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench-bare/", bare_view, name="bench_bare"),
    path("", include("emulation.urls")),
]
