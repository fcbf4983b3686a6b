"""Voting never depends on Redis: with the cache stopped, a correct code casts its ballot and a
wrong one is told so; the wrong-code limits fail open and the committee's page still opens.
The Redis here is a private server on a port of its own, stopped by the test."""

import socket
import subprocess

import pytest
import redis
from django.core.cache import caches

from awards.models import SealedBallot
from awards.services import polls
from tests.awards.factories import make_cards, make_poll, with_committee
from tests.awards.test_voting_views import BAD_CODE, url, wrong_code
from tests.workers import wait_until

pytestmark = pytest.mark.django_db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def private_redis(tmp_path, settings):
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port, socket_connect_timeout=1)

    def up():
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    wait_until(up, timeout=20, what="the private Redis")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield server, client
    server.terminate()
    server.wait(timeout=10)
    caches["default"].close()


def test_with_the_cache_stopped_a_correct_code_is_cast_and_a_wrong_one_refused(
    client, private_redis
):
    server, redis_client = private_redis
    poll, options, _ = make_poll()
    polls.open_poll(poll=poll)
    codes = make_cards(poll, 2)
    member = with_committee(poll)[0]
    client.get(url("vote", poll))
    assert BAD_CODE in wrong_code(client, poll).content.decode()
    assert redis_client.dbsize() == 2  # the device's count and the room's, while Redis is up

    server.terminate()
    server.wait(timeout=10)
    assert BAD_CODE in wrong_code(client, poll, 1).content.decode()
    response = client.post(
        url("vote", poll), {"step": "cast", "code": codes[0], "option": [options[0].pk]}
    )
    assert response.status_code == 200
    assert "data-receipt>" in response.content.decode()
    assert SealedBallot.objects.count() == 1
    response = client.post(url("receipt_check", poll), {"receipt": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 200
    client.force_login(member)
    response = client.get(poll.get_absolute_url())
    assert response.status_code == 200
    assert 'id="room-alert"' not in response.content.decode()
