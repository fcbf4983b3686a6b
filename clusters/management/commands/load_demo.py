"""Load the demo data (Cluster No. 4 of the Party Organisation sector) and print the logins."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from clusters.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo_data


class Command(BaseCommand):
    help = (
        "Load Cluster No. 4 of the Party Organisation sector as published, with invented "
        "people and demo accounts. Idempotent: running it again changes nothing."
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
        data = load_demo_data()
        stats = data["stats"]
        cluster = data["cluster"]
        write = self.stdout.write
        write(self.style.SUCCESS(f"Dữ liệu mẫu / demo data: {cluster.name}"))
        write(
            f"  {len(data['units'])} đơn vị đến 30/06/2025, {len(data['successors'])} đơn vị kế "
            f"thừa từ 01/07/2025; năm Cụm {min(data['years'])}–{max(data['years'])}."
        )
        if stats["created"] or stats["updated"]:
            write(
                f"  Tạo mới / created: {stats['created']}; cập nhật / updated: {stats['updated']}"
            )
        else:
            write("  Không có thay đổi: dữ liệu mẫu đã có sẵn / nothing changed: already loaded.")

        write("")
        write(self.style.MIGRATE_HEADING("Tài khoản demo / demo logins"))
        width = max(len(username) for username, *_ in DEMO_LOGINS)
        for username, _last, _first, role in DEMO_LOGINS:
            write(f"  {username:<{width}} / {DEMO_PASSWORD} — {role}")

        write("")
        write(self.style.MIGRATE_HEADING("Lưu ý / notes"))
        for line in (
            "Họ tên cán bộ, đại biểu, Ban kiểm phiếu là giả định (names are invented).",
            "Thứ tự luân phiên là giả định (the rotation order is invented): 11 đơn vị theo "
            "danh sách đã công bố, rồi 6 đơn vị kế thừa.",
            "Lãnh đạo Cụm 2018, 2019 và Cụm phó 2020 là giả định; Cụm trưởng 2020 (Tây Ninh) "
            "suy ra từ việc đăng cai tổng kết; lãnh đạo 2021 theo thông tin đã công bố.",
            "Năm bắt đầu 2018 của các thành viên và thành phần Cụm từ 2026 (6 đơn vị kế thừa) "
            "là giả định (membership start and the 2026 cluster are assumptions).",
            'Cụm thi đua số 5 và các đơn vị "Mẫu A/B/C" là hoàn toàn giả định '
            "(Cluster No. 5 is invented).",
        ):
            write(f"  - {line}")
