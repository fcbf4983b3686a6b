"""Settings of the ballots benchmark's gunicorn server (bench/ballots.py): the project's, plus
a bare view (bench/urls_ballots.py), DEBUG off, loopback only, plain static storage, a cache key
prefix per run so earlier runs' failed-code counters do not carry over, and a room budget of
wrong codes that the run cannot spend."""

import os

from emulation.settings import *  # noqa: F403
from emulation.settings import CACHES, STORAGES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.urls_ballots"
STORAGES = STORAGES | {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
CACHES = {
    "default": CACHES["default"] | {"KEY_PREFIX": os.environ.get("BENCH_CACHE_PREFIX", "bench")}
}
# The reuse clients try used codes on purpose: the room's budget of wrong codes
# (awards.guesses) must not pause the honest clients during the run.
VOTE_ROOM_FAILED_BUDGET = 1_000_000
