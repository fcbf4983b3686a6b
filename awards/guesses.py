"""Wrong card codes (and trackers): a limit per device, and a budget for the room.

A conference hall is one address behind its Wi-Fi, so failures are counted per device, which a
signed cookie names (a random id, set by the voting page, that records nothing else), and not
per address. A device that throws its cookie away only meets the room's budget: when the poll as
a whole receives more wrong codes than the budget in the window, code entry pauses for a short
while and the committee's page says so. Codes are 10 characters of a 32-letter alphabet (50
bits): the limits tell the committee someone is guessing; they are not what makes guessing
hopeless.

Everything lives in the cache and expires with the window. Voting never depends on it: when the
cache cannot be reached every check fails open (a correct code casts its ballot) and the failure
is logged without the code.
"""

import datetime
import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from .models import Poll

logger = logging.getLogger(__name__)

DEVICE_LIMIT = 10  # wrong codes per device and poll in a window
WINDOW = 600  # seconds
ROOM_PAUSE = 60  # seconds of paused code entry once the room's budget is spent

COOKIE = "vote_device"
COOKIE_SALT = "awards.vote-device"
COOKIE_AGE = 2 * 24 * 3600  # a conference lasts a day or two


def room_budget() -> int:
    """Wrong codes the whole poll may receive in a window: a few per delegate's mistyping."""
    return settings.VOTE_ROOM_FAILED_BUDGET


def device_of(request) -> str | None:
    return request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT)


def remember_device(request, response) -> None:
    """Give the device its id on the first voting page it opens."""
    if device_of(request) is None:
        response.set_signed_cookie(
            COOKIE,
            secrets.token_urlsafe(16),
            salt=COOKIE_SALT,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )


def _key(*parts: str) -> str:
    """A cache key from a keyed hash: neither the device id nor the poll appears in the cache."""
    digest = hmac.new(
        (settings.SECRET_KEY + ":vote-guesses").encode(), "|".join(parts).encode(), hashlib.sha256
    ).hexdigest()
    return f"awards:guesses:{digest}"


def _device_key(request, poll: Poll, what: str) -> str | None:
    device = device_of(request)
    return _key("device", what, device, str(poll.uuid)) if device else None


def _room_key(poll: Poll) -> str:
    return _key("room", str(poll.uuid))


def _pause_key(poll: Poll) -> str:
    return _key("pause", str(poll.uuid))


def _alert_key(poll: Poll) -> str:
    return _key("alert", str(poll.uuid))


def _incr(key: str) -> int:
    cache.add(key, 0, timeout=WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW)
        return 1


DEVICE = "device"  # why code entry is refused: this device's limit
ROOM = "room"  # or the room's pause


def refused(request, poll: Poll, what: str = "code") -> str | None:
    """Why code entry is refused to this request now (DEVICE or ROOM), or None."""
    try:
        key = _device_key(request, poll, what)
        if key and (cache.get(key) or 0) >= DEVICE_LIMIT:
            return DEVICE
        if what == "code" and cache.get(_pause_key(poll)):
            return ROOM
    except Exception:  # the cache is down: fail open
        logger.warning("Wrong-code limits unavailable (cache error); voting goes on", exc_info=True)
    return None


def failed(request, poll: Poll, what: str = "code") -> None:
    """Count a wrong code against the device and, for card codes, the room."""
    try:
        key = _device_key(request, poll, what)
        if key:
            _incr(key)
        if what != "code":
            return
        if _incr(_room_key(poll)) >= room_budget():
            cache.delete(_room_key(poll))
            cache.set(_pause_key(poll), True, timeout=ROOM_PAUSE)
            cache.set(_alert_key(poll), time.time(), timeout=WINDOW)
    except Exception:
        logger.warning("Wrong-code limits unavailable (cache error); voting goes on", exc_info=True)


@dataclass(frozen=True)
class RoomAlert:
    paused_at: datetime.datetime
    budget: int
    window_minutes: int


def room_alert(poll: Poll) -> RoomAlert | None:
    """For the committee: whether the room spent its budget of wrong codes in the window."""
    try:
        paused_at = cache.get(_alert_key(poll))
    except Exception:
        return None
    if paused_at is None:
        return None
    when = datetime.datetime.fromtimestamp(paused_at, tz=datetime.UTC)
    return RoomAlert(paused_at=when, budget=room_budget(), window_minutes=WINDOW // 60)
