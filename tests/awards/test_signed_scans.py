"""Signed scans of the award proposal (once sent) and of each poll's vote-count minutes (once
counted): checked by content and size, kept with their SHA-256, who uploaded them and when,
every version newest first; the proposal attaches the minutes' scans; only the secretariat keeps
the proposal's scan, the committee and the secretariat the minutes'; whoever may read the
proposal or the minutes downloads them."""

import datetime
import hashlib
import subprocess
import uuid
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import Poll, Proposal, SignedScan
from awards.services import committee, polls, scans
from clusters.models import ClusterYear, Supervision
from tests.awards.factories import close_and_decrypt
from tests.awards.slate_world import FLAG_VOTES, MERIT_VOTES, Slate, make_slate, run
from tests.clusters.factories import UserFactory
from tests.helpers import login, messages_of

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NOT_A_SCAN = "Tệp này không phải là bản chụp dạng PDF, JPG hoặc PNG."


def small_pdf(text: str = "Bien ban da ky") -> bytes:
    """A real one-page PDF (with its cross-reference table) saying `text`."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@dataclass
class ScanWorld:
    s: Slate
    poll: Poll  # the flag's poll, published
    proposal: Proposal  # sent
    supervisor: object
    committee_member: object
    delegate: object

    @property
    def proposal_page(self) -> str:
        return reverse("awards:proposal", kwargs={"round": self.s.round.uuid})

    @property
    def proposal_upload(self) -> str:
        return reverse("awards:proposal_scan_upload", kwargs={"round": self.s.round.uuid})

    def minutes_upload(self, poll: Poll | None = None) -> str:
        return reverse("awards:poll_scan_upload", kwargs={"poll": (poll or self.poll).uuid})


@pytest.fixture
def sw() -> ScanWorld:
    s = make_slate()
    poll = committee.create_poll_from_slate(conference=s.conference, award_type=s.flag)
    committee.set_minutes_number(poll=poll, number="01-BB/CTĐ4")
    run(s, poll, FLAG_VOTES)
    proposal = Proposal.objects.create(
        round=s.round,
        number="12-TTr/CTĐ4",
        signed_on=datetime.date(2021, 12, 10),
        status=Proposal.Status.SENT,
    )
    supervisor = UserFactory()
    Supervision.objects.create(user=supervisor, cluster=s.world.cluster)
    return ScanWorld(
        s=s,
        poll=poll,
        proposal=proposal,
        supervisor=supervisor,
        committee_member=s.members[0],
        delegate=s.delegates[0].user,
    )


def upload(user, url: str, name: str, content: bytes):
    return login(user).post(url, {"file": SimpleUploadedFile(name, content)})


def test_the_signed_proposal_is_kept_with_its_exact_sha256_every_version_newest_first(sw):
    content = small_pdf("To trinh da ky")
    secretary = sw.s.world.secretary
    response = upload(secretary, sw.proposal_upload, "to-trinh-12-da-ky.pdf", content)
    assert response.status_code == 302
    assert response["Location"] == f"{sw.proposal_page}#signed-proposal"
    first = SignedScan.objects.get()
    assert (
        first.proposal,
        first.poll,
        first.original_name,
        first.size,
        first.sha256,
        first.uploaded_by,
    ) == (
        sw.proposal,
        None,
        "to-trinh-12-da-ky.pdf",
        len(content),
        hashlib.sha256(content).hexdigest(),
        secretary,
    )
    with first.file.open("rb") as stored:
        assert stored.read() == content
    assert first.history.get().history_user == secretary

    client = login(secretary)
    second = client.post(
        sw.proposal_upload, {"file": SimpleUploadedFile("to-trinh-trang-1.PNG", PNG)}
    )
    assert messages_of(client.get(second["Location"])) == ["Đã lưu bản chụp tờ trình đã ký."]
    latest = SignedScan.objects.get(original_name="to-trinh-trang-1.PNG")
    assert latest.sha256 == hashlib.sha256(PNG).hexdigest()
    assert list(sw.proposal.scans.all()) == [latest, first]

    page = login(sw.supervisor).get(sw.proposal_page)
    assert page.context["proposal_scans"] == [latest, first]
    assert page.context["scan_form"] is None  # the supervisor reads, and uploads nothing
    html = page.content.decode()
    assert f'title="{first.sha256}"' in html and f"{first.sha256[:12]}…" in html
    assert f'data-copy="{first.sha256}"' in html
    assert first.get_absolute_url() in html
    assert login(secretary).get(sw.proposal_page).context["scan_form"] is not None


def test_the_signed_minutes_are_kept_and_attached_to_the_proposal(sw):
    content = small_pdf()
    response = upload(sw.committee_member, sw.minutes_upload(), "bien-ban-01.pdf", content)
    assert response.status_code == 302
    assert response["Location"] == f"{sw.poll.get_absolute_url()}#signed-minutes"
    scan = SignedScan.objects.get()
    assert (scan.poll, scan.proposal, scan.sha256, scan.uploaded_by) == (
        sw.poll,
        None,
        hashlib.sha256(content).hexdigest(),
        sw.committee_member,
    )
    poll_page = login(sw.committee_member).get(sw.poll.get_absolute_url())
    assert poll_page.context["minutes_scans"] == [scan]
    assert poll_page.context["scan_form"] is not None
    assert 'id="signed-minutes"' in poll_page.content.decode()
    # the secretariat keeps a later version too
    later = upload(sw.s.world.secretary, sw.minutes_upload(), "bien-ban-01-v2.png", PNG)
    assert later.status_code == 302
    newest = SignedScan.objects.get(original_name="bien-ban-01-v2.png")

    page = login(sw.s.world.secretary).get(sw.proposal_page)
    assert page.context["attachments"] == [(sw.poll, [newest, scan])]
    html = page.content.decode()
    assert reverse("awards:poll_minutes_docx", kwargs={"poll": sw.poll.uuid}) in html
    assert reverse("awards:poll_minutes_pdf", kwargs={"poll": sw.poll.uuid}) in html
    assert scan.get_absolute_url() in html and newest.get_absolute_url() in html
    # a delegate reads the published result, and uploads nothing
    delegate_page = login(sw.delegate).get(sw.poll.get_absolute_url())
    assert delegate_page.context["minutes_scans"] == [newest, scan]
    assert "scan_form" not in delegate_page.context


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("to-trinh.pdf", b"MZ\x90\x00\x03\x00\x00\x00 a program", NOT_A_SCAN),
        ("to-trinh.html", b"<!DOCTYPE html><html><body>x</body></html>", NOT_A_SCAN),
        ("to-trinh.pdf", b"<html><body>%PDF-1.4</body></html>", NOT_A_SCAN),
        (
            "to-trinh.pdf",
            PNG,
            "Nội dung tệp không khớp với phần mở rộng của tên tệp (.pdf).",
        ),
    ],
)
def test_a_file_that_is_not_a_scan_is_refused_at_the_field(sw, name, content, message):
    for user, url in (
        (sw.s.world.secretary, sw.proposal_upload),
        (sw.committee_member, sw.minutes_upload()),
    ):
        response = upload(user, url, name, content)
        assert response.status_code == 200
        assert response.context["form"].errors == {"file": [message]}
        assert message in response.content.decode()
    assert not SignedScan.objects.exists()


def test_a_word_file_is_no_scan(sw):
    word = (
        reverse("awards:proposal_docx", kwargs={"round": sw.s.round.uuid}),
        "to-trinh.docx",
    )
    content = login(sw.s.world.secretary).get(word[0]).content
    response = upload(sw.s.world.secretary, sw.proposal_upload, word[1], content)
    assert response.context["form"].errors == {"file": [NOT_A_SCAN]}
    assert not SignedScan.objects.exists()


def test_a_file_too_large_is_refused(sw, settings):
    settings.MAX_UPLOAD_MB = 1
    big = small_pdf() + b"0" * (1024 * 1024)
    response = upload(sw.s.world.secretary, sw.proposal_upload, "to-trinh.pdf", big)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["Tệp quá lớn (1,0 MB); dung lượng tối đa là 1 MB."]
    }
    assert not SignedScan.objects.exists()


def test_an_empty_form_asks_for_the_file(sw):
    response = login(sw.s.world.secretary).post(sw.proposal_upload, {})
    assert response.context["form"].errors == {"file": ["Trường này là bắt buộc."]}
    assert not SignedScan.objects.exists()


def test_who_may_not_upload_is_refused(sw):
    world = sw.s.world
    content = small_pdf()
    assert upload(None, sw.proposal_upload, "a.pdf", content).status_code == 302
    assert upload(None, sw.minutes_upload(), "a.pdf", content).status_code == 302
    # a delegate, a unit officer of another unit, last year's secretariat, another cluster's
    # secretariat, the supervisor (who receives the proposal), the committee (the proposal
    # is not theirs)
    for user in (
        sw.delegate,
        world.officer_a,
        world.last_secretary,
        world.outsider,
        sw.supervisor,
        sw.committee_member,
    ):
        assert upload(user, sw.proposal_upload, "a.pdf", content).status_code == 403, user
    for user in (sw.delegate, world.officer_a, world.last_secretary, world.outsider):
        assert upload(user, sw.minutes_upload(), "a.pdf", content).status_code == 403, user
    assert upload(sw.supervisor, sw.minutes_upload(), "a.pdf", content).status_code == 403
    assert login(world.secretary).get(sw.proposal_upload).status_code == 405
    assert not SignedScan.objects.exists()


def test_a_closed_year_keeps_no_more_scans_and_says_so(sw):
    world = sw.s.world
    ClusterYear.objects.filter(pk=world.year.pk).update(status=ClusterYear.Status.CLOSED)
    closed = "Năm 2021 đã khóa sổ, không thể thay đổi được nữa."
    for user, url, back in (
        (world.secretary, sw.proposal_upload, sw.proposal_page),
        (world.secretary, sw.minutes_upload(), sw.poll.get_absolute_url()),
        (sw.committee_member, sw.minutes_upload(), sw.poll.get_absolute_url()),
    ):
        client = login(user)
        response = client.post(url, {"file": SimpleUploadedFile("a.pdf", small_pdf())})
        assert response["Location"] == back
        assert messages_of(client.get(back)) == [closed]
    # the closed year's secretariat still reads its proposal, with no upload form
    page = login(world.secretary).get(sw.proposal_page)
    assert page.context["scan_form"] is None
    assert upload(world.outsider, sw.proposal_upload, "a.pdf", small_pdf()).status_code == 403
    assert not SignedScan.objects.exists()


def test_a_draft_proposal_refuses_its_scan(sw):
    secretary = sw.s.world.secretary
    Proposal.objects.filter(pk=sw.proposal.pk).update(status=Proposal.Status.DRAFT)
    response = upload(secretary, sw.proposal_upload, "to-trinh.pdf", small_pdf())
    assert response.status_code == 200
    refusal = "Chỉ tải lên được bản tờ trình đã ký sau khi tờ trình đã được gửi."
    assert response.context["form"].errors == {"file": [refusal]}
    page = login(secretary).get(sw.proposal_page)
    assert page.context["scan_form"] is None
    assert "được tải lên sau khi tờ trình đã được gửi" in page.content.decode()
    # a round whose proposal was never written is a draft too
    sw.proposal.delete()
    response = upload(secretary, sw.proposal_upload, "to-trinh.pdf", small_pdf())
    assert response.context["form"].errors == {"file": [refusal]}
    assert not SignedScan.objects.exists()


def test_an_uncounted_poll_refuses_the_scan_of_its_minutes(sw):
    s = sw.s
    poll = committee.create_poll_from_slate(conference=s.conference, award_type=s.merit)
    refusal = "Chỉ tải lên được biên bản kiểm phiếu đã ký sau khi kiểm phiếu xong."
    for step in ("draft", "open", "closed"):
        if step == "open":
            polls.open_poll(poll=poll)
        elif step == "closed":
            close_and_decrypt(poll)
        response = upload(sw.committee_member, sw.minutes_upload(poll), "bien-ban.pdf", small_pdf())
        assert response.status_code == 200, step
        assert response.context["form"].errors == {"file": [refusal]}, step
        page = login(sw.committee_member).get(poll.get_absolute_url())
        assert "minutes_scans" not in page.context
        assert 'id="signed-minutes"' not in page.content.decode()
    assert not SignedScan.objects.exists()
    # the service holds the rule by itself, whoever calls it
    with pytest.raises(ValidationError) as refused:
        scans.keep_minutes_scan(
            poll=poll, uploaded=SimpleUploadedFile("b.pdf", small_pdf()), user=None
        )
    assert refused.value.message_dict == {"file": [refusal]}


def test_the_scans_are_downloaded_by_those_who_may_read_them(sw, tmp_path):
    world = sw.s.world
    text = "Bien ban so 01 da ky"
    content = small_pdf(text)
    upload(sw.committee_member, sw.minutes_upload(), "bien-ban-01.pdf", content)
    upload(world.secretary, sw.proposal_upload, "to-trinh.png", PNG.replace(b"\x00", b"\x01"))
    minutes = SignedScan.objects.get(poll=sw.poll)
    proposal = SignedScan.objects.get(proposal=sw.proposal)

    def download(user, scan):
        return login(user).get(scan.get_absolute_url())

    for user in (world.secretary, sw.committee_member, sw.supervisor, sw.delegate, world.officer_a):
        response = download(user, minutes)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == content
        assert response["Content-Disposition"] == 'attachment; filename="bien-ban-01.pdf"'
        assert response["Cache-Control"] == "private, no-store"
    pdf = tmp_path / "bien-ban.pdf"
    pdf.write_bytes(b"".join(download(sw.supervisor, minutes).streaming_content))
    read = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True)
    assert read.stdout.strip() == text
    for user in (world.secretary, sw.supervisor):
        response = download(user, proposal)
        assert b"".join(response.streaming_content) == PNG.replace(b"\x00", b"\x01")
    for user in (sw.delegate, world.officer_a, sw.committee_member, world.outsider):
        assert download(user, proposal).status_code == 403, user
    assert download(world.outsider, minutes).status_code == 403
    assert download(None, minutes).status_code == 302
    missing = reverse("awards:signed_scan", args=[uuid.uuid4()])
    assert login(world.secretary).get(missing).status_code == 404


def _page_queries(user, url) -> int:
    client = login(user)
    client.get(url)  # warm caches that are not per data size (sessions, content types)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_proposal_page_costs_the_same_with_one_scan_or_many_over_more_polls(sw):
    world = sw.s.world
    upload(world.secretary, sw.proposal_upload, "to-trinh.pdf", small_pdf())
    upload(sw.committee_member, sw.minutes_upload(), "bien-ban-01.pdf", small_pdf())
    small = _page_queries(world.secretary, sw.proposal_page)
    # the page's 21, the scans of the minutes (22 without a proposal row) and of the proposal
    assert small == 23
    merit = committee.create_poll_from_slate(conference=sw.s.conference, award_type=sw.s.merit)
    run(sw.s, merit, MERIT_VOTES)
    for poll in (sw.poll, merit):
        for n in range(3):
            upload(sw.committee_member, sw.minutes_upload(poll), f"bien-ban-{n}.pdf", small_pdf())
    for n in range(3):
        upload(world.secretary, sw.proposal_upload, f"to-trinh-{n}.png", PNG)
    response = login(world.secretary).get(sw.proposal_page)
    assert [len(found) for _poll, found in response.context["attachments"]] == [4, 3]
    assert len(response.context["proposal_scans"]) == 4
    assert _page_queries(world.secretary, sw.proposal_page) == small


def test_the_poll_page_costs_the_same_with_one_scan_of_its_minutes_or_many(sw):
    upload(sw.committee_member, sw.minutes_upload(), "bien-ban.pdf", small_pdf())
    small = _page_queries(sw.committee_member, sw.poll.get_absolute_url())
    for n in range(4):
        upload(sw.s.world.secretary, sw.minutes_upload(), f"bien-ban-{n}.png", PNG)
    assert _page_queries(sw.committee_member, sw.poll.get_absolute_url()) == small
