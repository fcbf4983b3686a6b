"""Time and peak memory of the year-end summary of a cluster of 15 units and 150 criteria (its
facts, then the Word, PDF and Excel files separately), and of a roll-up of 50 clusters compiled
by real Celery workers on Redis, with one and with two workers (issue 5). Measures; the only
things it checks are the roll-up's own promises (done, one version, one part per cluster).

Run from the project root:

    .venv/bin/python bench/reports.py [--runs 3] [--warmup 1] [--pair solo|prefork]
        [--clusters 50] [--skip-summary] [--skip-rollup]

Defaults, each overridable by the environment: SECRET_KEY=bench,
DATABASE_URL=postgres://postgres@127.0.0.1:5432/emulation_reports_bench (dropped and re-created
each run; its name must end in "_bench"), REDIS_URL=redis://127.0.0.1:6379/9 (flushed at the
start of each roll-up measurement, so keep that database for this benchmark), MEDIA_ROOT=a
temporary folder removed at the end. DEBUG is forced off.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _name, _value in {
    "SECRET_KEY": "bench",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/emulation_reports_bench",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
}.items():
    os.environ.setdefault(_name, _value)
# DEBUG keeps every SQL query in memory and would inflate the memory figures.
os.environ["DEBUG"] = "0"
# WeasyPrint logs each layout step at INFO: keep the output (and the timings) clean.
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The parent makes the media folder; the measuring children and the workers inherit it.
OWN_MEDIA = "MEDIA_ROOT" not in os.environ
if OWN_MEDIA:
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="reports-bench-media-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emulation.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

YEAR = 2024
MAIN_UNITS = 15
MAIN_CRITERIA = 150  # leaves: 148 "points" criteria in groups of up to 10, a bonus, a deduction
MAIN_YEARS = (2022, 2023, YEAR)  # published years, so that the summary draws its trend chart
ROLLUP_UNITS = 11
ROLLUP_CRITERIA = 20
STEPS = {
    "summary_of": "facts (content.summary_of)",
    "docx": "Word (summary_docx)",
    "pdf": "PDF (summary_pdf)",
    "xlsx": "Excel (summary_xlsx)",
}
ROMAN = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split()
ROLLUP_TIMEOUT = 900  # seconds; a roll-up still running by then is reported as lost

# Report text in the style of the units' reports; every sentence is invented.
SENTENCES = [
    "Tham mưu cấp ủy lãnh đạo, chỉ đạo triển khai thực hiện nghiêm túc các nghị quyết, chỉ thị "
    "của Trung ương về công tác tổ chức xây dựng Đảng.",
    "Hoàn thành việc rà soát, bổ sung quy hoạch cán bộ thuộc diện Ban Thường vụ Tỉnh ủy quản lý "
    "nhiệm kỳ 2025 - 2030 đúng tiến độ.",
    "Kết nạp đảng viên mới đạt và vượt chỉ tiêu nghị quyết; chất lượng sinh hoạt chi bộ có "
    "chuyển biến tích cực.",
    "Việc sắp xếp tổ chức bộ máy, tinh giản biên chế ở một số cơ quan, đơn vị còn chậm so với "
    "kế hoạch đề ra.",
    "Công tác thông tin, báo cáo có lúc chưa kịp thời; việc ứng dụng công nghệ thông tin trong "
    "quản lý hồ sơ đảng viên chưa đồng bộ.",
    "Một số cấp ủy cơ sở chưa quan tâm đúng mức đến đổi mới nội dung, phương thức sinh hoạt "
    "chi bộ.",
    "Bám sát chỉ đạo của Trung ương và Tỉnh ủy, chủ động tham mưu từ sớm, phân công rõ người, "
    "rõ việc, rõ thời hạn.",
    "Đề nghị Ban Tổ chức Trung ương sớm ban hành hướng dẫn thống nhất về đánh giá, xếp loại "
    "chất lượng tổ chức đảng và đảng viên.",
]
FIGURES = [
    ("Đảng viên mới kết nạp", "người"),
    ("Hồ sơ cán bộ được số hóa", "hồ sơ"),
    ("Cán bộ được đào tạo, bồi dưỡng", "lượt"),
    ("Tỷ lệ chỉ tiêu kết nạp đảng viên", "%"),
]
KEY_TASKS = [
    "Tham mưu triển khai thực hiện nghị quyết đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030.",
    "Tiếp tục sắp xếp, tinh gọn tổ chức bộ máy của hệ thống chính trị.",
    "Làm tốt công tác quy hoạch, đào tạo, bồi dưỡng, luân chuyển, đánh giá cán bộ.",
    "Nâng cao chất lượng sinh hoạt chi bộ và chất lượng đảng viên.",
    'Đẩy mạnh phong trào thi đua "Cách làm hay, mô hình mới" trong Cụm.',
    "Thực hiện nghiêm chế độ thông tin, báo cáo của Cụm thi đua.",
    "Tổ chức tốt Hội nghị sơ kết, tổng kết công tác thi đua năm tới.",
]


# The data -------------------------------------------------------------------------------------


def make_cluster(number: int, n_units: int, prefix: str):
    """A cluster with its leadership roles and n member units since 2018."""
    from clusters.models import Cluster, LeadershipRole, Membership, Unit

    cluster = Cluster.objects.create(
        number=number,
        name=f"Cụm thi đua số {number}, Ngành Tổ chức xây dựng Đảng",
        sector="Ngành Tổ chức xây dựng Đảng",
        supervising_body="Vụ Địa phương III",
    )
    for rank, (kind, name) in enumerate(
        [
            (LeadershipRole.LEADER, "Cụm trưởng"),
            (LeadershipRole.STANDING_DEPUTY, "Cụm phó Thường trực"),
            (LeadershipRole.DEPUTY, "Cụm phó"),
        ],
        start=1,
    ):
        LeadershipRole.objects.create(cluster=cluster, kind=kind, name=name, rank=rank)
    units = Unit.objects.bulk_create(
        Unit(
            name=f"Ban Tổ chức Tỉnh ủy {prefix} {i + 1}",
            short_name=f"{prefix} {i + 1}",
            province=f"{prefix} {i + 1}",
        )
        for i in range(n_units)
    )
    Membership.objects.bulk_create(
        Membership(cluster=cluster, unit=unit, start_year=2018) for unit in units
    )
    return cluster, units


def lead(cluster_year, **units_by_kind) -> None:
    from clusters.models import LeadershipAssignment

    roles = {role.kind: role for role in cluster_year.cluster.roles.all()}
    for kind, unit in units_by_kind.items():
        LeadershipAssignment.objects.create(cluster_year=cluster_year, role=roles[kind], unit=unit)


def publish_criteria(cluster_year, n_leaves: int) -> None:
    """n leaves: n - 2 "points" criteria (4 points each) in groups of up to 10, one bonus and
    one deduction, each in its own group; published through the service (which checks it)."""
    from scorecards.models import CriteriaSet, Criterion
    from scorecards.services import criteria as criteria_services

    criteria_set = CriteriaSet.objects.create(cluster_year=cluster_year, title="Bảng tiêu chí")
    position = iter(range(1, 100_000))
    base = n_leaves - 2
    sizes = [min(10, base - i) for i in range(0, base, 10)]
    groups = [(number, Criterion.POINTS, size) for number, size in zip(ROMAN, sizes, strict=False)]
    groups += [
        (ROMAN[len(sizes)], Criterion.BONUS, 1),
        (ROMAN[len(sizes) + 1], Criterion.DEDUCTION, 1),
    ]
    for number, kind, size in groups:
        points = Decimal(4 if kind == Criterion.POINTS else 5)
        group = Criterion.objects.create(
            criteria_set=criteria_set,
            number=number,
            text=f"Nhóm tiêu chí {number}",
            kind=Criterion.GROUP,
            max_points=points * size,
            position=next(position),
        )
        Criterion.objects.bulk_create(
            Criterion(
                criteria_set=criteria_set,
                parent=group,
                number=str(i),
                text=f"Tiêu chí {number}.{i}: thực hiện nhiệm vụ được giao đúng thời hạn, có chất "
                "lượng",
                kind=kind,
                max_points=points,
                position=next(position),
            )
            for i in range(1, size + 1)
        )
    criteria_services.publish(criteria_set=criteria_set, user=None)


def score_and_publish(cluster_year, units, rng: random.Random, user) -> None:
    """Every unit's scorecard finalised with self, reviewed and final scores; then the ranking
    published through the service (which refuses unless every scorecard is final).

    The scorecards and scores are the rows scoring.open_scorecard makes, written with their
    values in one bulk insert: updating thousands of rows afterwards (bulk_update) took most of
    the set-up time."""
    from scorecards.models import Criterion, GradeBand, Score, Scorecard, ScoringPolicy
    from scorecards.services import criteria as criteria_services
    from scorecards.services import ranking

    criteria_set = criteria_services.published_for(cluster_year)
    leaves = list(criteria_set.criteria.exclude(kind=Criterion.GROUP).order_by("position"))
    scorecards = Scorecard.objects.bulk_create(
        Scorecard(
            cluster_year=cluster_year,
            unit=unit,
            criteria_set=criteria_set,
            status=Scorecard.Status.FINALISED,
        )
        for unit in units
    )

    def value(criterion, quality: float) -> Decimal:
        if criterion.kind == Criterion.POINTS:
            points = min(4.0, max(0.0, rng.gauss(4 * quality, 0.6)))
            return Decimal(str(round(points * 2) / 2))  # halves, as the secretariats score
        if criterion.kind == Criterion.BONUS:
            return Decimal(rng.choice([0, 1, 2, 3]))
        return Decimal(rng.choice([0, 0, 0, 1, 2]))

    scores = []
    for scorecard in scorecards:
        quality = rng.uniform(0.7, 0.98)  # each unit has its level, so the ranking spreads
        for criterion in leaves:
            points = value(criterion, quality)
            scores.append(
                Score(
                    scorecard=scorecard,
                    criterion=criterion,
                    self_score=points,
                    reviewed_score=points,
                    final_score=points,
                    explanation="Đã thực hiện; có văn bản kèm theo.",
                    revision=3,
                )
            )
    Score.objects.bulk_create(scores, batch_size=2000)
    cluster = cluster_year.cluster
    if not GradeBand.objects.filter(cluster=cluster).exists():
        most = 4 * sum(1 for c in leaves if c.kind == Criterion.POINTS)
        for name, share in [("Xuất sắc", "0.90"), ("Tốt", "0.80"), ("Khá", "0.65")]:
            GradeBand.objects.create(cluster=cluster, name=name, min_total=most * Decimal(share))
        ScoringPolicy.objects.create(cluster=cluster, tie_breaks=["base", "deductions", "group:I"])
    ranking.publish_ranking(cluster_year=cluster_year, user=user)


def write_reports(cluster_year, units, rng: random.Random, sentences_per_section: int) -> None:
    """A report per unit with its five sections and key figures; all accepted but the last,
    which is submitted only (the summary flags it)."""
    from reports.models import KeyFigure, UnitReport

    reports = UnitReport.objects.bulk_create(
        UnitReport(
            cluster_year=cluster_year,
            unit=unit,
            status=UnitReport.Status.SUBMITTED
            if i == len(units) - 1
            else UnitReport.Status.ACCEPTED,
            revision=1,
            **{
                section: " ".join(rng.sample(SENTENCES, sentences_per_section))
                for section in UnitReport.SECTIONS
            },
        )
        for i, unit in enumerate(units)
    )
    KeyFigure.objects.bulk_create(
        KeyFigure(
            report=report,
            label=label,
            value=Decimal(rng.randint(80, 110) if measure == "%" else rng.randint(50, 3000)),
            measure=measure,
            position=position,
        )
        for report in reports
        for position, (label, measure) in enumerate(FIGURES)
    )


def nominate(cluster_year, units) -> None:
    """A nomination round whose slate fills its quotas (no poll: the slate is the proposal)."""
    from awards.models import AwardType, Candidate, NominationRound, Quota

    nomination_round = NominationRound.objects.create(
        cluster_year=cluster_year, status=NominationRound.Status.FINAL
    )
    slates = [
        ("Cờ thi đua của Ban Tổ chức Trung ương", 1),
        ("Bằng khen của Ban Tổ chức Trung ương", 3),
    ]
    for rank, (name, quota) in enumerate(slates, start=1):
        award_type, _ = AwardType.objects.get_or_create(
            cluster=cluster_year.cluster,
            name=name,
            defaults={"recipient": AwardType.UNIT, "rank": rank},
        )
        Quota.objects.create(round=nomination_round, award_type=award_type, quota=quota)
        chosen = units[:quota] if rank == 1 else units[1 : 1 + quota]
        Candidate.objects.bulk_create(
            Candidate(
                round=nomination_round,
                award_type=award_type,
                unit=unit,
                status=Candidate.Status.ON_SLATE,
                achievements=SENTENCES[0],
            )
            for unit in chosen
        )


def build(n_clusters: int):
    """The 15 x 150 cluster year (with two earlier published years for its trend chart), and
    n_clusters small cluster years for the roll-up, all supervised by one user."""
    from django.contrib.auth import get_user_model

    from clusters.models import ClusterYear, Conference, LeadershipRole, OfficerTerm, Supervision
    from reports.models import YearSummary

    rng = random.Random(5)  # issue 5: the same data on every run
    users = get_user_model()
    secretary = users.objects.create_user("bench_secretary", password="x")
    supervisor = users.objects.create_user("bench_supervisor", password="x")

    cluster, units = make_cluster(99, MAIN_UNITS, "Tỉnh")
    OfficerTerm.objects.create(user=secretary, unit=units[0], start_date="2018-01-01")
    for year in MAIN_YEARS:
        cluster_year = ClusterYear.objects.create(
            cluster=cluster,
            year=year,
            status=ClusterYear.Status.IN_PROGRESS,
            plan_title=f"Kế hoạch thi đua năm {year}",
        )
        lead(
            cluster_year,
            **{LeadershipRole.LEADER: units[0], LeadershipRole.STANDING_DEPUTY: units[1]},
        )
        publish_criteria(cluster_year, MAIN_CRITERIA)
        score_and_publish(cluster_year, units, rng, secretary)
    main = cluster_year
    next_year = ClusterYear.objects.create(cluster=cluster, year=YEAR + 1)
    lead(
        next_year,
        **{
            LeadershipRole.LEADER: units[1],
            LeadershipRole.STANDING_DEPUTY: units[2],
            LeadershipRole.DEPUTY: units[3],
        },
    )
    Conference.objects.create(
        cluster_year=main,
        kind=Conference.YEAR_END,
        title=f"Hội nghị tổng kết công tác thi đua năm {YEAR}",
        date=date(YEAR, 12, 10),
        place=units[0].province,
        host_unit=units[0],
    )
    YearSummary.objects.create(
        cluster_year=main,
        number="12-BC/CTĐ99",
        key_tasks="\n".join(KEY_TASKS),
        signer_name="Nguyễn Văn Bench",
    )
    write_reports(main, units, rng, sentences_per_section=4)
    nominate(main, units)

    rollup_years = []
    for number in range(1, n_clusters + 1):
        small, small_units = make_cluster(number, ROLLUP_UNITS, f"C{number} Tỉnh")
        Supervision.objects.create(user=supervisor, cluster=small)
        cluster_year = ClusterYear.objects.create(
            cluster=small, year=YEAR, status=ClusterYear.Status.IN_PROGRESS
        )
        lead(cluster_year, **{LeadershipRole.LEADER: small_units[0]})
        lead(
            ClusterYear.objects.create(cluster=small, year=YEAR + 1),
            **{LeadershipRole.LEADER: small_units[1]},
        )
        publish_criteria(cluster_year, ROLLUP_CRITERIA)
        score_and_publish(cluster_year, small_units, rng, secretary)
        write_reports(cluster_year, small_units, rng, sentences_per_section=2)
        nominate(cluster_year, small_units)
        rollup_years.append(cluster_year)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would have by now in production
    return main, rollup_years, supervisor


# The summary: in-process times, and memory in a fresh process per step -----------------------


def run_step(step: str, cluster_year, summary=None):
    from reports import content, documents

    if step == "summary_of":
        return content.summary_of(cluster_year)
    return getattr(documents, f"summary_{step}")(summary)


def time_steps(cluster_year, runs: int, warmup: int) -> dict:
    """Median wall-clock and CPU time of each step in this process, after warm-up runs.
    A builder gets a freshly gathered summary each run: Word and PDF share the charts drawn
    into the summary, and a cached chart would hide the cost of drawing it."""
    from reports import content

    results = {}
    for step in STEPS:
        walls, cpus, size = [], [], 0
        for _ in range(warmup + runs):
            summary = None if step == "summary_of" else content.summary_of(cluster_year)
            start, start_cpu = time.perf_counter(), time.process_time()
            output = run_step(step, cluster_year, summary)
            walls.append(time.perf_counter() - start)
            cpus.append(time.process_time() - start_cpu)
            size = len(output) if isinstance(output, bytes) else 0
        results[step] = {
            "median": statistics.median(walls[warmup:]),
            "min": min(walls[warmup:]),
            "cpu": statistics.median(cpus[warmup:]),
            "size": size,
        }
    queries = []
    with connection.execute_wrapper(lambda execute, *a: queries.append(1) or execute(*a)):
        content.summary_of(cluster_year)
    results["summary_of"]["queries"] = len(queries)
    return results


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def child(step: str, cluster_year_id: int, trace: bool) -> None:
    """Run one step once in this fresh process and print what it cost as JSON.

    The libraries every step may load (python-docx, openpyxl, matplotlib, WeasyPrint) are
    imported first and the summary gathered, so that what the step adds is its own work. The
    peak is the kernel's high-water mark of the process (VmHWM), reset just before the step:
    ru_maxrss would give the whole life's peak, which here includes the imports and, in a child
    forked from this big parent, the parent's own size at the fork. tracemalloc slows Python
    down and holds memory of its own, so it runs in a separate process (trace=True)."""
    import gc
    import tracemalloc

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.figure  # noqa: F401
    import weasyprint  # noqa: F401

    from clusters.models import ClusterYear
    from reports import content, documents  # noqa: F401

    cluster_year = ClusterYear.objects.get(pk=cluster_year_id)
    summary = None if step == "summary_of" else content.summary_of(cluster_year)
    gc.collect()
    loaded_peak = _status_kb("VmHWM")
    Path("/proc/self/clear_refs").write_text("5")  # Linux: peak RSS := current RSS
    before = _status_kb("VmRSS")
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    run_step(step, cluster_year, summary)
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else None
    print(
        json.dumps(
            {
                "loaded_peak_kb": loaded_peak,
                "before_kb": before,
                "peak_kb": _status_kb("VmHWM"),
                "seconds": seconds,
                "traced": traced,
            }
        )
    )


def measure_in_child(step: str, cluster_year_id: int, trace: bool) -> dict:
    command = [sys.executable, __file__, "--child", step, "--cluster-year", str(cluster_year_id)]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"The {step} child failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# The roll-up through real workers --------------------------------------------------------------


def flush_redis() -> None:
    """Empty the benchmark's Redis database: no message of an earlier run may be picked up."""
    import redis

    url = os.environ["REDIS_URL"]
    if urlparse(url).path.strip("/") in ("", "0"):
        sys.exit(
            f"Refusing to flush Redis database 0 ({url}): give the bench a database of its own."
        )
    redis.Redis.from_url(url).flushdb()


def start_workers(pair: str, count: int, log_dir: Path) -> list[subprocess.Popen]:
    """count solo workers (one process each), or for pair="prefork" with count 2 one prefork
    worker with two child processes; returns once every worker answers a ping."""
    from emulation.celery import app

    celery = ROOT / ".venv" / "bin" / "celery"
    base = [str(celery)] if celery.exists() else [sys.executable, "-m", "celery"]
    base += ["-A", "emulation", "worker", "-l", "info"]
    base += ["--without-mingle", "--without-gossip", "--without-heartbeat"]  # starts faster
    if count == 2 and pair == "prefork":
        commands = [base + ["--pool=prefork", "--concurrency=2", "-n", "bench1@%h"]]
    else:
        commands = [
            base + ["--pool=solo", "--concurrency=1", "-n", f"bench{i}@%h"]
            for i in range(1, count + 1)
        ]
    processes = []
    for i, command in enumerate(commands, start=1):
        with (log_dir / f"worker{count}-{i}.log").open("ab") as log:
            processes.append(
                subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            )
    deadline = time.monotonic() + 60
    with app.connection_for_write(os.environ["REDIS_URL"]) as broker:
        while len(app.control.ping(timeout=0.5, connection=broker)) < len(commands):
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                stop_workers(processes)
                logs = "\n".join(p.read_text(errors="replace") for p in log_dir.glob("*.log"))
                sys.exit(f"The Celery workers did not start:\n{logs}")
    return processes


def stop_workers(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_pids(processes: list[subprocess.Popen]) -> list[int]:
    """The workers' processes and their children (a prefork worker's pool processes)."""
    pids = [p.pid for p in processes]
    for pid in list(pids):
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            pids += [int(child) for child in children.read_text().split()]
    return pids


def cpu_seconds(processes: list[subprocess.Popen]) -> float:
    """CPU time (user + system) used so far by the worker processes: steadier than wall-clock
    time when other jobs share the cores."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in worker_pids(processes):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def peak_rss_mb(processes: list[subprocess.Popen]) -> float:
    """The largest peak RSS (VmHWM) among the worker processes and their children (a prefork
    worker's pool processes), read from /proc before they stop."""
    peaks = []
    for pid in worker_pids(processes):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except FileNotFoundError:
            continue
    return max(peaks, default=float("nan"))


def one_rollup(cluster_years, supervisor) -> dict:
    """Request a roll-up as the page does, wait for its row to say done, and check it."""
    from django.db.models import Max

    from reports import jobs
    from reports.models import ReportJob, ReportVersion

    start = time.perf_counter()
    job = jobs.request_rollup(user=supervisor, year=YEAR, cluster_years=cluster_years)
    status = ReportJob.Status.PENDING
    while status not in (ReportJob.Status.DONE, ReportJob.Status.FAILED):
        if time.perf_counter() - start > ROLLUP_TIMEOUT:
            break
        time.sleep(0.05)  # a light poll: the workers share the two cores with it
        status = ReportJob.objects.values_list("status", flat=True).get(pk=job.pk)
    elapsed = time.perf_counter() - start
    job.refresh_from_db()
    last_part = job.parts.aggregate(last=Max("created_at"))["last"]

    def seconds(a, b):
        return (b - a).total_seconds() if a and b else float("nan")

    return {
        "total": elapsed,
        "wait": seconds(job.created_at, job.started_at),
        "parts": seconds(job.started_at, last_part),
        "combine": seconds(last_part, job.finished_at),
        "status": job.status,
        "n_parts": job.parts.count(),
        "parts_done": job.parts_done,
        "versions": ReportVersion.objects.filter(job=job).count(),
        "attempts": job.attempts,
    }


def measure_rollup(cluster_years, supervisor, count, pair, runs, warmup, log_dir) -> dict:
    from reports.models import ReportJob

    flush_redis()
    workers = start_workers(pair, count, log_dir)
    try:
        results = []
        for _ in range(warmup + runs):
            cpu = cpu_seconds(workers)
            results.append(one_rollup(cluster_years, supervisor))
            results[-1]["cpu"] = cpu_seconds(workers) - cpu
        peak = peak_rss_mb(workers)
    finally:
        stop_workers(workers)
    timed = results[warmup:]
    problems = [
        r
        for r in results
        if (r["status"], r["n_parts"], r["parts_done"], r["versions"])
        != (ReportJob.Status.DONE, len(cluster_years), len(cluster_years), 1)
    ]
    return {
        "median": statistics.median(r["total"] for r in timed),
        "first": results[0]["total"],
        "cpu": statistics.median(r["cpu"] for r in timed),
        "wait": statistics.median(r["wait"] for r in timed),
        "parts": statistics.median(r["parts"] for r in timed),
        "combine": statistics.median(r["combine"] for r in timed),
        "checks": f"{len(results) - len(problems)}/{len(results)} ok",
        "problems": problems,
        "peak_mb": peak,
    }


# Running it -----------------------------------------------------------------------------------


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measure (median)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs before them")
    parser.add_argument("--clusters", type=int, default=50, help="clusters in the roll-up")
    parser.add_argument(
        "--pair",
        choices=["solo", "prefork"],
        default="solo",
        help="two workers as two solo processes (default) or one prefork worker, concurrency 2",
    )
    parser.add_argument("--skip-summary", action="store_true")
    parser.add_argument("--skip-rollup", action="store_true")
    parser.add_argument("--child", choices=list(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--cluster-year", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.cluster_year, args.trace)
        return

    from benchdb import recreate_database

    load_start = load()
    started = time.perf_counter()
    recreate_database()
    migrated = time.perf_counter()
    main_year, rollup_years, supervisor = build(args.clusters)
    print(
        f"database migrated in {migrated - started:.0f} s, data built in "
        f"{time.perf_counter() - migrated:.0f} s",
        flush=True,
    )
    log_dir = Path(tempfile.mkdtemp(prefix="reports-bench-logs-"))
    try:
        if not args.skip_summary:
            report_summary(main_year, args)
        if not args.skip_rollup:
            report_rollup(rollup_years, supervisor, args, log_dir)
    finally:
        if OWN_MEDIA:
            shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)
    print(
        f"\nload average (1, 5, 15 min): {load_start} at the start, {load()} at the end; "
        f"{os.cpu_count()} CPU(s); worker logs in {log_dir}"
    )


def report_summary(cluster_year, args) -> None:
    times = time_steps(cluster_year, args.runs, args.warmup)
    memory = {
        step: (
            measure_in_child(step, cluster_year.pk, False),
            measure_in_child(step, cluster_year.pk, True),
        )
        for step in STEPS
    }
    print(
        f"\nSummary of one cluster year: {MAIN_UNITS} units x {MAIN_CRITERIA} criteria, "
        f"{MAIN_UNITS} unit reports, {len(MAIN_YEARS)} published years (trend chart); "
        f"median of {args.runs} runs after {args.warmup} warm-up, in-process; memory and the "
        "cold time from a fresh process per step\n"
    )
    header = (
        f"{'step':28} {'median s':>8} {'CPU s':>6} {'min s':>6} {'cold s':>7} "
        f"{'RSS before MB':>13} {'peak RSS MB':>11} {'+RSS MB':>8} {'tracemalloc MB':>14} "
        f"{'size KB':>8}"
    )
    print(header)
    print("-" * len(header))
    for step, label in STEPS.items():
        t = times[step]
        rss, traced = memory[step]
        print(
            f"{label:28} {t['median']:8.2f} {t['cpu']:6.2f} {t['min']:6.2f} {rss['seconds']:7.2f} "
            f"{rss['before_kb'] / 1024:13.0f} {rss['peak_kb'] / 1024:11.0f} "
            f"{(rss['peak_kb'] - rss['before_kb']) / 1024:8.1f} "
            f"{traced['traced'] / 2**20:14.1f} {t['size'] / 1024:8.0f}"
        )
    loading = max(rss["loaded_peak_kb"] for rss, _ in memory.values()) / 1024
    print(
        f"\nsummary_of makes {times['summary_of']['queries']} queries. Fresh process per step: "
        "RSS before = Django, the document libraries and (for a builder) the gathered summary; "
        "peak RSS = the high-water mark during the step alone (VmHWM reset just before; the "
        f"loading itself peaks at up to {loading:.0f} MB)"
    )


def report_rollup(cluster_years, supervisor, args, log_dir: Path) -> None:
    pair = "2 solo worker processes" if args.pair == "solo" else "1 prefork worker, concurrency 2"
    rows = [
        (
            "1 worker (solo pool)",
            measure_rollup(cluster_years, supervisor, 1, "solo", args.runs, args.warmup, log_dir),
        ),
        (
            f"2 workers ({pair})",
            measure_rollup(
                cluster_years, supervisor, 2, args.pair, args.runs, args.warmup, log_dir
            ),
        ),
    ]
    print(
        f"\nRoll-up of {len(cluster_years)} clusters ({ROLLUP_UNITS} units x {ROLLUP_CRITERIA} "
        f"criteria each), real Celery workers on {os.environ['REDIS_URL']}: from the request to "
        f"the job row saying done; median of {args.runs} after {args.warmup} warm-up\n"
    )
    header = (
        f"{'workers':44} {'median s':>8} {'first s':>7} {'CPU s':>6} {'wait s':>6} {'parts s':>7} "
        f"{'combine s':>9} {'worker peak RSS MB':>18}  checks"
    )
    print(header)
    print("-" * len(header))
    for label, r in rows:
        print(
            f"{label:44} {r['median']:8.2f} {r['first']:7.2f} {r['cpu']:6.2f} {r['wait']:6.2f} "
            f"{r['parts']:7.2f} {r['combine']:9.2f} {r['peak_mb']:18.0f}  {r['checks']}"
        )
    for label, r in rows:
        for problem in r["problems"]:
            print(f"PROBLEM ({label}): {problem}")
    print(
        "CPU = the workers' CPU time (median); checks: done, one version, one part per "
        "cluster; wait = request to claimed, "
        "parts = claimed to the last part, combine = last part to done"
    )


if __name__ == "__main__":
    main()
