"""Median server time of the scorecard, review and ranking pages for a cluster year of 15 units and
150 criteria, next to a bare Django view measured in the same run. Measures; asserts nothing.

Run from the project root, on a PostgreSQL database of its own (dropped and re-created each run;
its name must end in "_bench"):

    SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/emulation_bench \\
        .venv/bin/python bench/scorecard_pages.py [--requests 30] [--warmup 5]

Each page is requested through Django's test Client (the whole middleware stack, sessions,
authentication, templates; no network), N times after a warm-up; the table gives the median and
the 90th percentile in milliseconds, the median CPU time of this process (Python only, without
the database server; steadier than wall-clock time on a busy machine) and the number of SQL
queries of one request.
"""

import argparse
import os
import statistics
import sys
import time
import types
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")

import django  # noqa: E402

django.setup()

from benchdb import recreate_database  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import NoReverseMatch, include, path, reverse  # noqa: E402

N_UNITS = 15
N_CRITERIA = 150  # leaves: 148 base points in groups of up to 10, one bonus, one deduction


def bare_view(request):
    return HttpResponse("ok")


# A throwaway URLconf: the project's URLs plus the bare view.
urlconf = types.ModuleType("bench_urlconf")
urlconf.urlpatterns = [
    path("__bench__/bare/", bare_view, name="bench_bare"),
    path("", include("emulation.urls")),
]
sys.modules["bench_urlconf"] = urlconf


def build() -> dict:
    """A cluster year of 15 units and 150 criteria, every scorecard fully scored and reviewed."""
    from django.contrib.auth import get_user_model

    from clusters.models import (
        Cluster,
        ClusterYear,
        LeadershipAssignment,
        LeadershipRole,
        Membership,
        OfficerTerm,
        Unit,
    )
    from scorecards.models import (
        CriteriaSet,
        Criterion,
        GradeBand,
        Score,
        Scorecard,
        ScoringPolicy,
    )
    from scorecards.services import criteria as criteria_services
    from scorecards.services import scoring

    cluster = Cluster.objects.create(number=99, name="Cụm thi đua đo hiệu năng")
    roles = {
        kind: LeadershipRole.objects.create(cluster=cluster, kind=kind, name=name, rank=rank)
        for rank, (kind, name) in enumerate(
            [("leader", "Cụm trưởng"), ("standing_deputy", "Cụm phó Thường trực")], start=1
        )
    }
    units = []
    for i in range(N_UNITS):
        unit = Unit.objects.create(
            name=f"Ban Tổ chức Tỉnh ủy Tỉnh {i + 1}", short_name=f"Tỉnh {i + 1}", province=str(i)
        )
        Membership.objects.create(cluster=cluster, unit=unit, start_year=2018)
        units.append(unit)
    cluster_year = ClusterYear.objects.create(
        cluster=cluster, year=2024, status=ClusterYear.Status.IN_PROGRESS
    )
    LeadershipAssignment.objects.create(
        cluster_year=cluster_year, role=roles["leader"], unit=units[0]
    )
    LeadershipAssignment.objects.create(
        cluster_year=cluster_year, role=roles["standing_deputy"], unit=units[1]
    )
    ScoringPolicy.objects.create(cluster=cluster, tie_breaks=["base", "deductions", "group:I"])
    for name, minimum in [("Xuất sắc", "90"), ("Tốt", "75"), ("Khá", "60")]:
        GradeBand.objects.create(cluster=cluster, name=name, min_total=Decimal(minimum))

    criteria_set = CriteriaSet.objects.create(cluster_year=cluster_year, title="Bảng tiêu chí")
    position = iter(range(1, 100_000))
    romans = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII".split()
    base_leaves = N_CRITERIA - 2
    chunks = [min(10, base_leaves - i) for i in range(0, base_leaves, 10)]
    for number, size in zip(romans, chunks, strict=False):
        group = Criterion.objects.create(
            criteria_set=criteria_set,
            number=number,
            text=f"Nhóm tiêu chí {number}",
            kind=Criterion.GROUP,
            max_points=Decimal(4 * size),
            position=next(position),
        )
        Criterion.objects.bulk_create(
            Criterion(
                criteria_set=criteria_set,
                parent=group,
                number=str(i),
                text=f"Tiêu chí {number}.{i}: thực hiện nhiệm vụ được giao đúng thời hạn",
                kind=Criterion.POINTS,
                max_points=Decimal("4"),
                position=next(position),
            )
            for i in range(1, size + 1)
        )
    for kind, number in ((Criterion.BONUS, "A"), (Criterion.DEDUCTION, "B")):
        group = Criterion.objects.create(
            criteria_set=criteria_set,
            number=number,
            text=f"Nhóm {number}",
            kind=Criterion.GROUP,
            max_points=Decimal("5"),
            position=next(position),
        )
        Criterion.objects.create(
            criteria_set=criteria_set,
            parent=group,
            number="a",
            text="Mục a",
            kind=kind,
            max_points=Decimal("5"),
            position=next(position),
        )
    criteria_services.publish(criteria_set=criteria_set, user=None)
    assert criteria_set.criteria.exclude(kind=Criterion.GROUP).count() == N_CRITERIA

    for unit in units:
        scoring.open_scorecard(cluster_year=cluster_year, unit=unit)
    scores = list(Score.objects.filter(scorecard__cluster_year=cluster_year).order_by("pk"))
    for i, score in enumerate(scores):
        score.self_score = Decimal((i * 7) % 9) / 2  # 0 to 4 in halves: varied, deterministic
        score.explanation = "Đã thực hiện; có văn bản kèm theo."
        score.reviewed_score = score.self_score
        score.revision = 2
    Score.objects.bulk_update(
        scores, ["self_score", "explanation", "reviewed_score", "revision"], batch_size=500
    )
    Scorecard.objects.filter(cluster_year=cluster_year).update(status=Scorecard.Status.REVIEWED)

    user_model = get_user_model()
    secretary = user_model.objects.create_user("bench_secretary", password="x")
    officer = user_model.objects.create_user("bench_officer", password="x")
    OfficerTerm.objects.create(user=secretary, unit=units[0], start_date="2018-01-01")
    OfficerTerm.objects.create(user=officer, unit=units[2], start_date="2018-01-01")
    scorecard = Scorecard.objects.get(cluster_year=cluster_year, unit=units[2])
    return {
        "cluster_year": cluster_year,
        "scorecard": scorecard,
        "secretary": secretary,
        "officer": officer,
    }


def page_url(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def measure(client: Client, url: str, n: int, warmup: int):
    """Wall-clock and CPU times (ms) of n requests after a warm-up, the status, the queries."""
    for _ in range(warmup):
        client.get(url)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    times, cpu = [], []
    for _ in range(n):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return times, cpu, response.status_code, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    recreate_database()
    data = build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have by now in production
    cluster_year = data["cluster_year"]
    card = data["scorecard"]
    with override_settings(
        ROOT_URLCONF="bench_urlconf",
        ALLOWED_HOSTS=["testserver"],
        DEBUG=False,
        # The manifest storage needs collectstatic; URL lookups cost the same either way.
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ):
        pages = [
            ("bare Django view", "secretary", page_url("bench_bare")),
            (
                "scorecard (scorecards:scorecard)",
                "officer",
                page_url("scorecards:scorecard", scorecard=card.uuid),
            ),
            (
                "review (scorecards:review)",
                "secretary",
                page_url("scorecards:review", scorecard=card.uuid),
            ),
            (
                "ranking (scorecards:ranking)",
                "secretary",
                page_url(
                    "scorecards:ranking", cluster=cluster_year.cluster.uuid, year=cluster_year.year
                ),
            ),
        ]
        clients = {}
        for who in ("secretary", "officer"):
            clients[who] = Client()
            clients[who].force_login(data[who])
        rows, notes = [], []
        for label, who, url in pages:
            if url is None:
                notes.append(f"skipped {label}: the URL does not exist yet")
                continue
            times, cpu, status, queries = measure(clients[who], url, args.requests, args.warmup)
            if status != 200:
                notes.append(f"{label}: HTTP {status} (as {who}); timed anyway")
            rows.append(
                (
                    label,
                    who,
                    statistics.median(times),
                    quantile(times, 0.9),
                    statistics.median(cpu),
                    queries,
                )
            )

    bare = rows[0][2] if rows else 1.0
    print(
        f"\n{N_UNITS} units x {N_CRITERIA} criteria, {args.requests} requests per page after "
        f"{args.warmup} warm-up, Django test Client, {connection.vendor}, "
        f"{os.cpu_count()} CPU(s)\n"
    )
    header = (
        f"{'page':34} {'as':10} {'median ms':>10} {'p90 ms':>8} {'CPU ms':>7} "
        f"{'x bare':>7} {'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, who, median, p90, cpu, queries in rows:
        print(
            f"{label:34} {who:10} {median:10.1f} {p90:8.1f} {cpu:7.1f} "
            f"{median / bare:7.1f} {queries:8d}"
        )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) at the end: {load:.2f}")
    for note in notes:
        print(f"note: {note}")


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


if __name__ == "__main__":
    main()
