"""The demo data (`manage.py load_demo`) loaded once per test module, shared by the reports
tests: import the fixtures into a test module (`from tests.reports.demo_data import demo`)."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from clusters.models import ClusterYear

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEMBERS_2020 = [  # the eleven boards, in Vietnamese order of their short names
    "Ban Tổ chức Tỉnh ủy Bà Rịa - Vũng Tàu",
    "Ban Tổ chức Tỉnh ủy Bình Dương",
    "Ban Tổ chức Tỉnh ủy Bình Phước",
    "Ban Tổ chức Tỉnh ủy Bình Thuận",
    "Ban Tổ chức Tỉnh ủy Đồng Nai",
    "Ban Tổ chức Tỉnh ủy Lâm Đồng",
    "Ban Tổ chức Tỉnh ủy Long An",
    "Ban Tổ chức Tỉnh ủy Ninh Thuận",
    "Ban Tổ chức Tỉnh ủy Tây Ninh",
    "Ban Tổ chức Tỉnh ủy Tiền Giang",
    "Ban Tổ chức Thành ủy Thành phố Hồ Chí Minh",
]


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture
def _demo_settings(settings, demo_media):
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


def cluster_year(year: int) -> ClusterYear:
    return ClusterYear.objects.get(cluster__number=4, year=year)
