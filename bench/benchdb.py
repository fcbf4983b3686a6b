"""Shared by the benchmarks: their own PostgreSQL database, dropped and re-created each run."""

import sys

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections


def recreate_database() -> None:
    """Drop and re-create the bench's own database, then migrate it."""
    db = settings.DATABASES["default"]
    name = db["NAME"]
    if connection.vendor != "postgresql" or not str(name).endswith("_bench"):
        sys.exit(
            f"Refusing to use {connection.vendor} database {name!r}: give a PostgreSQL "
            "DATABASE_URL whose database name ends in _bench."
        )
    import psycopg2

    admin = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )
    admin.autocommit = True
    connections.close_all()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    call_command("migrate", verbosity=0)
