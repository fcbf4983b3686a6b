"""The whole demo data (`manage.py load_demo`) loaded once per test module, for the tests that
read it (scorecards, reports). A test module takes the four fixtures by name:
`demo, demo_media = whole_demo.demo, whole_demo.demo_media` and the same for `_demo_loaded`
and `_demo_settings` (after `from tests import demo as whole_demo`)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The folder the demo's files are written to, for the module."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture
def _demo_settings(settings, demo_media):
    # Set per test: a module-wide override_settings would be undone by the first test's
    # `settings` fixture (it restores the settings object it found).
    settings.DEBUG = True
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker, demo_media):
    """The demo loaded once for the module, in a transaction rolled back at its end (each test
    runs in a savepoint inside it). Yields the command's output."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            with override_settings(
                DEBUG=True, MEDIA_ROOT=demo_media, PASSWORD_HASHERS=FAST_HASHERS
            ):
                call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_loaded, _demo_settings, db):
    """The output of load_demo; the data is in the database for the test."""
    return _demo_loaded


def loaders_before_the_2020_conference() -> list[str]:
    """The demo's loaders without the one that holds the 2020 year-end conference, for the
    journeys that hold it themselves."""
    from django.conf import settings

    held = "awards.demo_conference.load_demo_conference_2020"
    assert held in settings.DEMO_LOADERS
    return [path for path in settings.DEMO_LOADERS if path != held]
