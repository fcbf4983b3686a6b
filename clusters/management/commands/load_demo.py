"""Load the demo data (Cluster No. 4 of the Party Organisation sector) and print the logins.

The loaders are listed in settings.DEMO_LOADERS, so that clusters never imports the apps built
on it (scorecards, awards, reports): the first loader takes no argument and returns a dict;
each later loader takes the merged dicts of those before it and returns its own. Besides its
objects, a loader's dict may hold "stats" (created / updated counts of this run), "summary"
(lines saying what it loaded) and "notes" (what in it is invented); those three are printed,
not merged.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from clusters.demo import DEMO_LOGINS, DEMO_PASSWORD

DEFAULT_LOADERS = ["clusters.demo.load_demo_data"]
REPORT_KEYS = ("stats", "summary", "notes")

CLUSTER_NOTES = [
    "Họ tên cán bộ, đại biểu, Ban kiểm phiếu là giả định (names are invented).",
    "Thứ tự luân phiên là giả định (the rotation order is invented): 11 đơn vị theo "
    "danh sách đã công bố, rồi 6 đơn vị kế thừa.",
    "Lãnh đạo Cụm 2018, 2019 và Cụm phó 2020 là giả định; Cụm trưởng 2020 (Tây Ninh) "
    "suy ra từ việc đăng cai tổng kết; lãnh đạo 2021 theo thông tin đã công bố.",
    "Năm bắt đầu 2018 của các thành viên và thành phần Cụm từ 2026 (6 đơn vị kế thừa) "
    "là giả định (membership start and the 2026 cluster are assumptions).",
    'Cụm thi đua số 5 và các đơn vị "Mẫu A/B/C" là hoàn toàn giả định (Cluster No. 5 is invented).',
]


def run_loaders(paths: list[str]) -> tuple[dict, list[tuple[str, dict]]]:
    """Run the loaders in order in one transaction; return the merged data and, per loader,
    its path and its report (stats, summary, notes)."""
    data: dict = {}
    reports = []
    with transaction.atomic():
        for index, path in enumerate(paths):
            loader = import_string(path)
            result = loader() if index == 0 else loader(data)
            reports.append((path, {key: result.get(key) for key in REPORT_KEYS}))
            data.update({key: value for key, value in result.items() if key not in REPORT_KEYS})
    return data, reports


class Command(BaseCommand):
    help = (
        "Load Cluster No. 4 of the Party Organisation sector as published, with invented "
        "people, demo accounts and invented scores. Idempotent: running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (the demo creates a superuser with a known "
            "password: never on a production database).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: the demo creates accounts with the known password "
                f"{DEMO_PASSWORD!r}, including a superuser. Use --force on a demo database."
            )
        data, reports = run_loaders(getattr(settings, "DEMO_LOADERS", DEFAULT_LOADERS))
        write = self.stdout.write

        cluster = data["cluster"]
        write(self.style.SUCCESS(f"Dữ liệu mẫu / demo data: {cluster.name}"))
        write(
            f"  {len(data['units'])} đơn vị đến 30/06/2025, {len(data['successors'])} đơn vị kế "
            f"thừa từ 01/07/2025; năm Cụm {min(data['years'])}–{max(data['years'])}."
        )
        created = updated = 0
        for _path, report in reports:
            stats = report["stats"] or {}
            created += stats.get("created", 0)
            updated += stats.get("updated", 0)
            for line in report["summary"] or []:
                write(f"  {line}")
        for path, report in reports:
            stats = report["stats"] or {}
            if stats.get("created") or stats.get("updated"):
                write(
                    f"  {path}: tạo mới / created {stats.get('created', 0)}; "
                    f"cập nhật / updated {stats.get('updated', 0)}"
                )
        if not created and not updated:
            write("  Không có thay đổi: dữ liệu mẫu đã có sẵn / nothing changed: already loaded.")

        write("")
        write(self.style.MIGRATE_HEADING("Tài khoản demo / demo logins"))
        width = max(len(username) for username, *_ in DEMO_LOGINS)
        for username, _last, _first, role in DEMO_LOGINS:
            write(f"  {username:<{width}} / {DEMO_PASSWORD} — {role}")

        write("")
        write(self.style.MIGRATE_HEADING("Lưu ý / notes"))
        notes = list(CLUSTER_NOTES)
        for _path, report in reports:
            notes += report["notes"] or []
        for line in notes:
            write(f"  - {line}")
