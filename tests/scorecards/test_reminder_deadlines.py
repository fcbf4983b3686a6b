"""Reminders of every deadline of the year: the unit report (registered by reports), the
nominations (registered by awards), the deadlines the secretariat adds, the cluster's own
reminder days, the digest of what waits for the secretariat, and two runs at once."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from reports.models import UnitReport
from scorecards.models import ReminderLog, Scorecard
from scorecards.services.reminders import days_before, send_deadline_reminders, window_start
from tests.awards.factories import AwardTypeFactory, CandidateFactory, NominationRoundFactory
from tests.clusters.factories import PersonFactory
from tests.reports.factories import UnitReportFactory
from tests.scorecards.factories import YearDeadlineFactory, build_scorecard_world
from tests.scorecards.test_reminders import by_name
from tests.workers import wait_until

AUTOMATIC = "Thư này được gửi tự động, đề nghị không trả lời thư này."
NOBODY = " (chưa có cán bộ nào có địa chỉ thư điện tử để nhắc)"


def run(today: datetime.date, capture) -> dict[str, int]:
    with capture(execute=True):
        return send_deadline_reminders(today=today)


def sent(outbox) -> list[tuple[list[str], str, str]]:
    return [(m.to, m.subject, m.body) for m in outbox]


def unit_lines(world, units) -> str:
    """The digest's lines of pending units, in Vietnamese order (units[0..4] sort by number).
    Reachable: units[1] (thuky), units[3] (donvi_a), units[4] (donvi_b)."""
    reachable = {world.units[1], world.units[3], world.units[4]}
    return "".join(f"- {u.name}{'' if u in reachable else NOBODY}\n" for u in units)


def digest_body(world, today: str, tail: str) -> str:
    return (
        f"Kính gửi: Thư ký Cụm – {world.cluster.name} năm 2021\n\n"
        f"Tình hình đến ngày {today}:\n{tail}\n{AUTOMATIC}\n"
    )


SECRETARIAT = ["canbo_thuky@example.vn", "thuky@example.vn"]


@pytest.fixture
def world(scorecard_world, settings):
    """The scorecard world's 2021 (units[3] has a draft scorecard, nothing is due) with the
    default reminder days 7, 3, 1."""
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    return scorecard_world


# The unit report ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_units_whose_report_is_not_submitted_are_reminded(
    world, django_capture_on_commit_callbacks
):
    """Submitted and accepted reports count as done; a draft, a returned report or none at all
    does not. Only the units with an officer to email get a letter; the digest names all."""
    year = world.year
    year.report_deadline = datetime.date(2021, 12, 10)
    year.save()
    UnitReportFactory(cluster_year=year, unit=world.units[4], status=UnitReport.Status.SUBMITTED)
    UnitReportFactory(cluster_year=year, unit=world.units[1], status=UnitReport.Status.RETURNED)
    UnitReportFactory(cluster_year=year, unit=world.units[3], status=UnitReport.Status.DRAFT)
    UnitReportFactory(cluster_year=year, unit=world.units[2], status=UnitReport.Status.ACCEPTED)

    assert run(datetime.date(2021, 12, 3), django_capture_on_commit_callbacks) == {
        "units": 2,
        "digests": 1,
    }
    cluster = world.cluster.name

    def letter(unit):
        return (
            f"[{cluster}] Nhắc việc: gửi báo cáo năm 2021, hạn chót ngày 10/12/2021",
            f"Kính gửi: {unit.name}\n\n"
            f"Hạn gửi báo cáo năm 2021 của các đơn vị thuộc {cluster} là ngày 10/12/2021 "
            "(còn 7 ngày). Đến nay, đơn vị chưa gửi báo cáo năm.\n\n"
            "Đề nghị đơn vị đăng nhập ứng dụng Cụm thi đua, hoàn thành báo cáo năm của đơn vị "
            "và gửi trước thời hạn.\n\n"
            f"{AUTOMATIC}\n",
        )

    pending = by_name([world.units[0], world.units[1], world.units[3]])
    to = {world.units[1]: ["thuky@example.vn"], world.units[3]: ["donvi_a@example.vn"]}
    assert sent(mail.outbox) == [
        *[(to[unit], *letter(unit)) for unit in by_name(to)],
        (
            SECRETARIAT,
            f"[{cluster}] Tổng hợp ngày 03/12/2021: các việc cần xử lý",
            digest_body(
                world,
                "03/12/2021",
                "\nGửi báo cáo năm của đơn vị – hạn ngày 10/12/2021 (còn 7 ngày): "
                f"3/5 đơn vị chưa thực hiện:\n{unit_lines(world, pending)}"
                "\nViệc chờ Thư ký Cụm xử lý:\n"
                "- Báo cáo của đơn vị đã gửi, chưa tiếp nhận: 1\n"
                "\nCác thời hạn sắp tới:\n"
                "- 10/12/2021: Gửi báo cáo năm của đơn vị (còn 7 ngày)\n",
            ),
        ),
    ]
    assert set(ReminderLog.objects.filter(kind="report").values_list("unit_id", flat=True)) == {
        world.units[1].pk,
        world.units[3].pk,
    }


# The nominations ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_nominations_are_reminded_only_while_a_round_is_open(
    world, django_capture_on_commit_callbacks
):
    year = world.year
    year.nomination_deadline = datetime.date(2021, 12, 1)
    year.save()
    # No round yet: nothing to nominate in, nobody reminded, nothing for the secretariat.
    assert run(datetime.date(2021, 11, 30), django_capture_on_commit_callbacks) == {
        "units": 0,
        "digests": 0,
    }
    nomination_round = NominationRoundFactory(cluster_year=year)
    individual = AwardTypeFactory(cluster=world.cluster, recipient="individual")
    person = PersonFactory(full_name="Lê Thị Hoa", unit=world.units[3])
    CandidateFactory(round=nomination_round, award_type=individual, person=person)
    # A unit candidate added by the secretariat is not the unit's own nomination.
    CandidateFactory(
        round=nomination_round,
        award_type=AwardTypeFactory(cluster=world.cluster),
        unit=world.units[4],
        status="on_slate",
    )

    assert run(datetime.date(2021, 11, 30), django_capture_on_commit_callbacks) == {
        "units": 2,
        "digests": 1,
    }
    cluster = world.cluster.name
    subject = f"[{cluster}] Nhắc việc: đề nghị khen thưởng năm 2021, hạn chót ngày 01/12/2021"

    def body(unit):
        return (
            f"Kính gửi: {unit.name}\n\n"
            f"Hạn đề nghị khen thưởng năm 2021 của {cluster} là ngày 01/12/2021 (còn 1 ngày). "
            "Đến nay, đơn vị chưa đề nghị khen thưởng cá nhân nào.\n\n"
            "Đề nghị đơn vị đăng nhập ứng dụng Cụm thi đua và gửi đề nghị khen thưởng cá nhân "
            "của đơn vị trước thời hạn.\n\n"
            f"{AUTOMATIC}\n"
        )

    pending = by_name([world.units[0], world.units[1], world.units[2], world.units[4]])
    to = {world.units[1]: ["thuky@example.vn"], world.units[4]: ["donvi_b@example.vn"]}
    assert sent(mail.outbox) == [
        *[(to[unit], subject, body(unit)) for unit in by_name(to)],
        (
            SECRETARIAT,
            f"[{cluster}] Tổng hợp ngày 30/11/2021: các việc cần xử lý",
            digest_body(
                world,
                "30/11/2021",
                "\nĐề nghị khen thưởng cá nhân của đơn vị – hạn ngày 01/12/2021 (còn 1 ngày): "
                f"4/5 đơn vị chưa thực hiện:\n{unit_lines(world, pending)}"
                "\nViệc chờ Thư ký Cụm xử lý:\n"
                "- Đề nghị khen thưởng đã gửi, chưa đưa vào danh sách bỏ phiếu: 1\n"
                "\nCác thời hạn sắp tới:\n"
                "- 01/12/2021: Đề nghị khen thưởng cá nhân của đơn vị (còn 1 ngày)\n",
            ),
        ),
    ]

    # The slate is final: the round is over, nobody is reminded any more.
    mail.outbox.clear()
    nomination_round.status = "final"
    nomination_round.save()
    assert run(datetime.date(2021, 12, 1), django_capture_on_commit_callbacks) == {
        "units": 0,
        "digests": 0,
    }


# The secretariat's own deadlines --------------------------------------------------------------


@pytest.mark.django_db
def test_an_added_deadline_reminds_every_member_unit(world, django_capture_on_commit_callbacks):
    YearDeadlineFactory(
        cluster_year=world.year,
        title="Gửi số liệu sơ kết 6 tháng",
        date=datetime.date(2021, 6, 20),
        note="Theo mẫu số 2 kèm theo kế hoạch.",
    )
    # Another cluster's deadline on the same day reminds nobody of this cluster.
    YearDeadlineFactory(cluster_year=world.other_year, date=datetime.date(2021, 6, 20))

    assert run(datetime.date(2021, 6, 17), django_capture_on_commit_callbacks) == {
        "units": 4,  # units[1], [3], [4] here; the other cluster's leader there
        "digests": 2,
    }
    cluster = world.cluster.name
    subject = f"[{cluster}] Nhắc việc: Gửi số liệu sơ kết 6 tháng, hạn chót ngày 20/06/2021"

    def body(unit):
        return (
            f"Kính gửi: {unit.name}\n\n"
            f"Thư ký {cluster} nhắc các đơn vị thành viên thời hạn năm 2021: Gửi số liệu sơ kết "
            "6 tháng, hạn chót ngày 20/06/2021 (còn 3 ngày).\n\n"
            "Theo mẫu số 2 kèm theo kế hoạch.\n\n"
            f"{AUTOMATIC}\n"
        )

    mine = [m for m in mail.outbox if world.cluster.name in m.subject]
    to = {
        world.units[1]: ["thuky@example.vn"],
        world.units[3]: ["donvi_a@example.vn"],
        world.units[4]: ["donvi_b@example.vn"],
    }
    assert sent(mine) == [
        *[(to[unit], subject, body(unit)) for unit in by_name(to)],
        (
            SECRETARIAT,
            f"[{cluster}] Tổng hợp ngày 17/06/2021: các việc cần xử lý",
            digest_body(
                world,
                "17/06/2021",
                "\nGửi số liệu sơ kết 6 tháng – hạn ngày 20/06/2021 (còn 3 ngày): "
                f"5/5 đơn vị chưa thực hiện:\n{unit_lines(world, by_name(world.units))}"
                "\nCác thời hạn sắp tới:\n"
                "- 20/06/2021: Gửi số liệu sơ kết 6 tháng (còn 3 ngày)\n",
            ),
        ),
    ]
    # Nobody marks it done: the next window reminds them all again, once.
    assert run(datetime.date(2021, 6, 18), django_capture_on_commit_callbacks)["units"] == 0
    assert run(datetime.date(2021, 6, 19), django_capture_on_commit_callbacks)["units"] == 4


@pytest.mark.django_db
def test_an_added_deadline_without_a_note_and_a_changed_date(
    world, django_capture_on_commit_callbacks
):
    deadline = YearDeadlineFactory(
        cluster_year=world.year, title="Nộp ảnh tư liệu", date=datetime.date(2021, 9, 10)
    )
    run(datetime.date(2021, 9, 9), django_capture_on_commit_callbacks)
    letter = next(m for m in mail.outbox if m.to == ["donvi_a@example.vn"])
    assert letter.body == (
        f"Kính gửi: {world.units[3].name}\n\n"
        f"Thư ký {world.cluster.name} nhắc các đơn vị thành viên thời hạn năm 2021: Nộp ảnh tư "
        "liệu, hạn chót ngày 10/09/2021 (còn 1 ngày).\n\n"
        f"{AUTOMATIC}\n"
    )
    # Moved to a later day: its reminders start again for the new date.
    deadline.date = datetime.date(2021, 9, 20)
    deadline.save()
    assert run(datetime.date(2021, 9, 13), django_capture_on_commit_callbacks)["units"] == 3


# Reminder days per cluster ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_cluster_s_own_reminder_days_set_the_windows(world, django_capture_on_commit_callbacks):
    world.cluster.reminder_days = "10,2"
    world.cluster.save()
    YearDeadlineFactory(cluster_year=world.year, date=datetime.date(2021, 6, 20))
    units_per_day = {
        day: run(datetime.date(2021, 6, day), django_capture_on_commit_callbacks)["units"]
        for day in range(8, 22)
    }
    # Window of 10: 10/06..17/06 (3 units, on the first day); of 2: 18/06..20/06. The other
    # cluster keeps the default 7, 3, 1 and has no deadline.
    assert units_per_day == {8: 0, 9: 0, 10: 3, 18: 3, 21: 0} | {
        day: 0 for day in (11, 12, 13, 14, 15, 16, 17, 19, 20)
    }
    assert days_before(world.cluster) == [2, 10]
    assert days_before(world.other_year.cluster) == [1, 3, 7]
    assert window_start(datetime.date(2021, 6, 20), 5, [2, 10]) == datetime.date(2021, 6, 10)


@pytest.mark.django_db
def test_an_unreadable_stored_value_falls_back_to_the_default(world):
    # Written past the validation (e.g. by SQL): reminders keep going with the default days.
    type(world.cluster).objects.filter(pk=world.cluster.pk).update(reminder_days="7,x")
    world.cluster.refresh_from_db()
    assert days_before(world.cluster) == [1, 3, 7]


# The digest -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_digest_lists_what_waits_even_with_no_deadline_near(
    world, django_capture_on_commit_callbacks
):
    """Two scorecards to review and one response to hear, a deadline far away: a digest with
    them and the next deadlines (five at most, in date order), once a day."""
    year = world.year
    year.report_deadline = datetime.date(2021, 12, 10)
    year.save()
    for day in (3, 6, 9, 12, 15, 18):
        YearDeadlineFactory(
            cluster_year=year, title=f"Việc {day}", date=datetime.date(2021, 10, day)
        )
    Scorecard.objects.filter(pk=world.scorecard.pk).update(status="submitted")
    other = Scorecard.objects.create(
        cluster_year=year, unit=world.units[4], criteria_set=world.criteria_set, status="reviewed"
    )
    criterion = world.criteria_set.criteria.order_by("position").first()
    other.scores.create(criterion=criterion, self_score=5, reviewed_score=4, unit_response="Đã làm")
    Scorecard.objects.create(
        cluster_year=year, unit=world.units[1], criteria_set=world.criteria_set, status="submitted"
    )

    today = datetime.date(2021, 9, 1)
    assert run(today, django_capture_on_commit_callbacks) == {"units": 0, "digests": 1}
    assert run(today, django_capture_on_commit_callbacks) == {"units": 0, "digests": 0}
    (letter,) = mail.outbox
    assert letter.to == SECRETARIAT
    assert letter.body == digest_body(
        world,
        "01/09/2021",
        "\nViệc chờ Thư ký Cụm xử lý:\n"
        "- Bảng tự chấm điểm đã nộp, chưa thẩm định: 2\n"
        "- Ý kiến giải trình của đơn vị về điểm điều chỉnh, chờ quyết định điểm chính thức: 1\n"
        "\nCác thời hạn sắp tới:\n"
        "- 03/10/2021: Việc 3 (còn 32 ngày)\n"
        "- 06/10/2021: Việc 6 (còn 35 ngày)\n"
        "- 09/10/2021: Việc 9 (còn 38 ngày)\n"
        "- 12/10/2021: Việc 12 (còn 41 ngày)\n"
        "- 15/10/2021: Việc 15 (còn 44 ngày)\n",
    )
    assert ReminderLog.objects.get(unit=None).deadline == today
    # The next day: a digest again.
    assert run(today + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == {
        "units": 0,
        "digests": 1,
    }


# Two runs at once -------------------------------------------------------------------------------


def test_two_runs_at_the_same_time_send_each_reminder_once(
    transactional_db, settings, django_db_blocker
):
    """Two beats (or two workers) run the job at the same moment on their own connections:
    the unique log rows let one of them send each reminder, the other nothing."""
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    world = build_scorecard_world(5)
    YearDeadlineFactory(cluster_year=world.year, date=datetime.date(2021, 6, 20))
    today = datetime.date(2021, 6, 17)
    start = threading.Barrier(2)
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def job():
        try:
            start.wait(timeout=10)
            results.append(send_deadline_reminders(today=today))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # units[1], [3], [4] and the digest, each by one of the two runs.
    assert sum(r["units"] for r in results) == 3
    assert sum(r["digests"] for r in results) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "canbo_thuky@example.vn",
        "donvi_a@example.vn",
        "donvi_b@example.vn",
        "thuky@example.vn",
    ]
    assert ReminderLog.objects.count() == 4


def test_a_claim_made_while_another_run_holds_the_same_row_sends_nothing(
    transactional_db, settings
):
    """The race itself, step by step: run A has written units[3]'s log row and not committed
    yet; run B's insert of the same row waits on the unique index (seen in pg_stat_activity),
    then, once A commits, fails on it: B sends units[3] nothing and the others theirs."""
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    world = build_scorecard_world(5)
    deadline = YearDeadlineFactory(cluster_year=world.year, date=datetime.date(2021, 6, 20))
    today = datetime.date(2021, 6, 17)
    inserted, release = threading.Event(), threading.Event()
    results: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def run_a():
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    cluster_year=world.year,
                    unit=world.units[3],
                    kind=deadline.reminder_kind,
                    deadline=deadline.date,
                    sent_on=today,
                )
                inserted.set()
                assert release.wait(timeout=60)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def run_b():
        try:
            results.append(send_deadline_reminders(today=today))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    a, b = threading.Thread(target=run_a), threading.Thread(target=run_b)
    a.start()
    assert inserted.wait(timeout=60)
    b.start()

    def b_waits_on_a_lock() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            return cursor.fetchone()[0] == 1

    wait_until(b_waits_on_a_lock, what="run B waiting on run A's row")
    release.set()
    a.join(timeout=60)
    b.join(timeout=60)
    assert errors == []
    assert results == [{"units": 2, "digests": 1}]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "canbo_thuky@example.vn",
        "donvi_b@example.vn",
        "thuky@example.vn",
    ]
    assert ReminderLog.objects.filter(unit=world.units[3]).count() == 1
