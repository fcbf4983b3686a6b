"""Deadline reminders: who is emailed, what they read (in Vietnamese), and that nothing is sent
twice, in-process and through a real Celery worker."""

import datetime

import pytest
from django.core import mail

from clusters.models import ClusterYear
from clusters.selectors import vietnamese_key
from scorecards.models import Pledge, PledgeSignature, ReminderLog, Scorecard
from scorecards.services.reminders import send_deadline_reminders, window_start
from scorecards.tasks import send_deadline_reminders as reminder_task
from tests.clusters.factories import officer
from tests.scorecards.factories import ScorecardFactory, build_scorecard_world
from tests.workers import finished_runs, read_emails, wait_for_runs

DEADLINE = datetime.date(2021, 11, 15)
AUTOMATIC = "Thư này được gửi tự động, đề nghị không trả lời thư này."


def setup_year(world):
    """A scorecard world's 2021: scorecards due 15/11/2021; units[4] has submitted, units[3] has
    a draft.

    Officers: units[1] thuky (the secretariat), units[3] donvi_a (+ an inactive account),
    units[4] donvi_b; units[0]'s officer left at the end of 2020; units[2] has nobody; units[1]
    also has an account without email. Only active accounts with an email, in office, are
    written to.
    """
    year = world.year
    year.scorecard_deadline = DEADLINE
    year.save()
    ScorecardFactory(
        cluster_year=year, unit=world.units[4], criteria_set=world.criteria_set, status="submitted"
    )
    officer(world.units[3], "donvi_a_cu", is_active=False)
    officer(world.units[1], "donvi_khong_thu", email="")
    # A closed year with a deadline in range is never reminded about.
    world.last_year.scorecard_deadline = DEADLINE
    world.last_year.save()
    return year


def by_name(units):
    return sorted(units, key=lambda u: vietnamese_key(u.short_name))


def scorecard_reminder(world, unit, days: str) -> tuple[str, str]:
    cluster = world.cluster.name
    subject = (
        f"[{cluster}] Nhắc việc: nộp bảng tự chấm điểm thi đua năm 2021, hạn chót ngày 15/11/2021"
    )
    body = (
        f"Kính gửi: {unit.name}\n\n"
        f"Hạn nộp bảng tự chấm điểm thi đua năm 2021 của {cluster} là ngày 15/11/2021 "
        f"({days}). Đến nay, đơn vị chưa nộp bảng tự chấm điểm.\n\n"
        "Đề nghị đơn vị đăng nhập ứng dụng Cụm thi đua, hoàn thành việc tự chấm điểm kèm minh "
        "chứng và nộp trước thời hạn.\n\n"
        f"{AUTOMATIC}\n"
    )
    return subject, body


def digest(world, today: str, sections: list[str], waiting=(), upcoming=()) -> tuple[str, str]:
    """The secretariat's digest: the sections of the deadlines in their reminder period, then
    what waits for the secretariat and the next deadlines (lines without their "- ")."""
    cluster = world.cluster.name
    subject = f"[{cluster}] Tổng hợp ngày {today}: các việc cần xử lý"
    body = f"Kính gửi: Thư ký Cụm – {cluster} năm 2021\n\nTình hình đến ngày {today}:\n"
    body += "".join(f"\n{section}" for section in sections)
    if waiting:
        body += "\nViệc chờ Thư ký Cụm xử lý:\n" + "".join(f"- {line}\n" for line in waiting)
    if upcoming:
        body += "\nCác thời hạn sắp tới:\n" + "".join(f"- {line}\n" for line in upcoming)
    return subject, body + f"\n{AUTOMATIC}\n"


TO_REVIEW = "Bảng tự chấm điểm đã nộp, chưa thẩm định: 1"


def scorecard_section(world, days: str) -> str:
    lines = []
    for unit in by_name(world.units[:4]):
        unreachable = unit in (world.units[0], world.units[2])
        note = " (chưa có cán bộ nào có địa chỉ thư điện tử để nhắc)" if unreachable else ""
        lines.append(f"- {unit.name}{note}\n")
    return (
        f"Nộp bảng tự chấm điểm – hạn ngày 15/11/2021 ({days}): "
        f"4/5 đơn vị chưa thực hiện:\n" + "".join(lines)
    )


def sent(outbox) -> list[tuple[list[str], str, str]]:
    return [(m.to, m.subject, m.body) for m in outbox]


@pytest.fixture
def world(scorecard_world, settings):
    settings.REMINDER_DAYS_BEFORE = [7, 3, 1]
    setup_year(scorecard_world)
    return scorecard_world


@pytest.mark.django_db
def test_units_that_have_not_submitted_and_the_secretariat_are_emailed_in_vietnamese(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = reminder_task.delay(today="2021-11-08").get()
    assert result == {"units": 2, "digests": 1}
    reminders = [
        (["donvi_a@example.vn"] if unit == world.units[3] else ["thuky@example.vn"], unit)
        for unit in by_name([world.units[1], world.units[3]])
    ]
    expected = [(to, *scorecard_reminder(world, unit, "còn 7 ngày")) for to, unit in reminders]
    expected.append(
        (
            ["canbo_thuky@example.vn", "thuky@example.vn"],
            *digest(
                world,
                "08/11/2021",
                [scorecard_section(world, "còn 7 ngày")],
                waiting=[TO_REVIEW],
                upcoming=["15/11/2021: Nộp bảng tự chấm điểm (còn 7 ngày)"],
            ),
        )
    )
    assert sent(mailoutbox) == expected


@pytest.mark.django_db
def test_running_twice_the_same_day_sends_nothing_twice(world, django_capture_on_commit_callbacks):
    today = datetime.date(2021, 11, 8)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=today) == {"units": 2, "digests": 1}
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=today) == {"units": 0, "digests": 0}
    assert len(mail.outbox) == 3
    assert ReminderLog.objects.count() == 3


@pytest.mark.django_db
def test_one_reminder_per_window_and_a_daily_digest(world, django_capture_on_commit_callbacks):
    """Windows for 7, 3, 1: days 7..4, 3..2, 1..0 before the deadline; a missed day is caught
    up on the next run."""
    sent_per_day = {}
    for day in range(9, 18):  # 09/11 (6 days left, first run: catch-up) .. 17/11 (past)
        today = datetime.date(2021, 11, day)
        with django_capture_on_commit_callbacks(execute=True):
            sent_per_day[day] = send_deadline_reminders(today=today)
    assert sent_per_day == {
        9: {"units": 2, "digests": 1},  # window of 7 (6 days left): caught up
        10: {"units": 0, "digests": 1},
        11: {"units": 0, "digests": 1},
        12: {"units": 2, "digests": 1},  # 3 days left
        13: {"units": 0, "digests": 1},
        14: {"units": 2, "digests": 1},  # 1 day left
        15: {"units": 0, "digests": 1},  # the deadline day: already reminded in this window
        # Past: no more reminders, but units[4]'s scorecard still waits for its review.
        16: {"units": 0, "digests": 1},
        17: {"units": 0, "digests": 1},
    }
    assert window_start(DEADLINE, 0) == datetime.date(2021, 11, 14)
    assert window_start(DEADLINE, 8) is None
    assert window_start(DEADLINE, -1) is None


@pytest.mark.django_db
def test_units_that_acted_and_closed_years_are_left_alone(
    world, django_capture_on_commit_callbacks
):
    """Every scorecard reviewed: nobody to remind, nothing waits for the secretariat, so not
    even a digest."""
    Scorecard.objects.filter(cluster_year=world.year).update(status="reviewed")
    for unit in world.units[:4]:
        Scorecard.objects.get_or_create(
            cluster_year=world.year,
            unit=unit,
            defaults={"criteria_set": world.year.criteria_sets.get(), "status": "reviewed"},
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=datetime.date(2021, 11, 8)) == {
            "units": 0,
            "digests": 0,
        }
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_returned_scorecard_counts_as_not_submitted(world, django_capture_on_commit_callbacks):
    Scorecard.objects.filter(unit=world.units[4]).update(status="returned")
    with django_capture_on_commit_callbacks(execute=True):
        result = send_deadline_reminders(today=datetime.date(2021, 11, 8))
    assert result == {"units": 3, "digests": 1}
    assert ["donvi_b@example.vn"] in [m.to for m in mail.outbox]


@pytest.mark.django_db
def test_units_that_have_not_signed_the_pledge_are_reminded(
    world, django_capture_on_commit_callbacks
):
    year = world.year
    year.scorecard_deadline = None
    year.pledge_deadline = datetime.date(2021, 1, 20)
    year.save()
    # Nothing waits for the secretariat: the digest is about the pledge alone.
    Scorecard.objects.filter(unit=world.units[4]).update(status="reviewed")
    with django_capture_on_commit_callbacks(execute=True):
        # No pledge posted yet: nothing to sign, nobody reminded.
        assert send_deadline_reminders(today=datetime.date(2021, 1, 19)) == {
            "units": 0,
            "digests": 0,
        }
    pledge = Pledge.objects.create(cluster_year=year, text="Giao ước")
    for unit in (world.units[1], world.units[4]):
        PledgeSignature.objects.create(pledge=pledge, unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=datetime.date(2021, 1, 19)) == {
            "units": 1,
            "digests": 1,
        }
    cluster = world.cluster.name
    unit = world.units[3]
    pending = "".join(
        f"- {u.name}{'' if u == unit else ' (chưa có cán bộ nào có địa chỉ thư điện tử để nhắc)'}\n"
        for u in by_name([world.units[0], world.units[2], world.units[3]])
    )
    assert sent(mail.outbox) == [
        (
            ["donvi_a@example.vn"],
            f"[{cluster}] Nhắc việc: ký giao ước thi đua năm 2021, hạn chót ngày 20/01/2021",
            f"Kính gửi: {unit.name}\n\n"
            f"Hạn ký giao ước thi đua năm 2021 của {cluster} là ngày 20/01/2021 (còn 1 ngày). "
            "Đến nay, đơn vị chưa ký giao ước thi đua.\n\n"
            "Đề nghị đơn vị đăng nhập ứng dụng Cụm thi đua để xem nội dung giao ước và xác nhận "
            "ký, kèm bản chụp có chữ ký nếu có.\n\n"
            f"{AUTOMATIC}\n",
        ),
        (
            ["canbo_thuky@example.vn", "thuky@example.vn"],
            *digest(
                world,
                "19/01/2021",
                [
                    "Ký giao ước thi đua – hạn ngày 20/01/2021 (còn 1 ngày): "
                    f"3/5 đơn vị chưa thực hiện:\n{pending}"
                ],
                upcoming=["20/01/2021: Ký giao ước thi đua (còn 1 ngày)"],
            ),
        ),
    ]


@pytest.mark.django_db
def test_on_the_deadline_day_the_email_says_so(world, settings, django_capture_on_commit_callbacks):
    settings.REMINDER_DAYS_BEFORE = [0]
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(today=DEADLINE)
    subject, body = scorecard_reminder(world, world.units[3], "hôm nay là hạn cuối")
    assert (["donvi_a@example.vn"], subject, body) in sent(mail.outbox)


@pytest.mark.django_db
def test_a_failed_send_is_forgotten_and_retried_on_the_next_run(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    settings.EMAIL_TIMEOUT = 2
    today = datetime.date(2021, 11, 8)
    with django_capture_on_commit_callbacks(execute=True):
        send_deadline_reminders(today=today)
    assert ReminderLog.objects.count() == 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders(today=today) == {"units": 2, "digests": 1}
    assert len(mail.outbox) == 3


def test_the_real_worker_sends_each_reminder_once(celery_worker_process, settings, tmp_path):
    """Through Redis to a real worker: the job run twice the same day emails once; a later run
    (3 days before) emails again. The emails are read once the worker has finished all three."""
    worker, mail_dir = celery_worker_process
    settings.MEDIA_ROOT = tmp_path
    world = build_scorecard_world(5)
    setup_year(world)

    runs = finished_runs(worker, reminder_task)
    reminder_task.delay(today="2021-11-08")
    reminder_task.delay(today="2021-11-08")
    reminder_task.delay(today="2021-11-12")
    wait_for_runs(worker, reminder_task, runs + 3)
    messages = read_emails(mail_dir)

    subjects = [(m["To"], " ".join(str(m["Subject"]).split())) for m in messages]
    cluster = world.cluster.name
    reminder = (
        f"[{cluster}] Nhắc việc: nộp bảng tự chấm điểm thi đua năm 2021, hạn chót ngày 15/11/2021"
    )
    assert sorted(subjects) == sorted(
        [
            ("donvi_a@example.vn", reminder),
            ("thuky@example.vn", reminder),
            ("canbo_thuky@example.vn, thuky@example.vn", digest(world, "08/11/2021", [])[0]),
        ]
        + [
            ("donvi_a@example.vn", reminder),
            ("thuky@example.vn", reminder),
            ("canbo_thuky@example.vn, thuky@example.vn", digest(world, "12/11/2021", [])[0]),
        ]
    )
    assert ReminderLog.objects.filter(sent_on=datetime.date(2021, 11, 8)).count() == 3
    bodies = {m.get_content() for m in messages if m["To"] == "donvi_a@example.vn"}
    assert bodies == {
        scorecard_reminder(world, world.units[3], days)[1] for days in ("còn 7 ngày", "còn 3 ngày")
    }
    assert ClusterYear.objects.get(pk=world.last_year.pk).is_closed
