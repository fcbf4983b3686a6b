"""Model helpers shared by the apps (no models of its own)."""

from django.contrib.auth.base_user import AbstractBaseUser


class StatusBadge:
    """A model with a `status` field and a `BADGES` map from each state to its badge's
    Bootstrap classes, shown by templates/partials/status_badge.html on every page."""

    BADGES: dict[str, str] = {}
    # The badge of a state the map leaves out (a plain one).
    OTHER_BADGE = "text-bg-light"
    status: str

    @property
    def status_badge(self) -> str:
        return self.BADGES.get(self.status, self.OTHER_BADGE)


class Audited:
    """A model with a history (simple_history's HistoricalRecords): a service names who made a
    change, and why where the model asks for it, before save()."""

    _history_user: AbstractBaseUser | None
    _change_reason: str | None
