"""The ballot tables hold nothing that links a ballot to a voter, and stay out of the audit
trail and the admin. (tests/awards/test_adversary.py reads the database as its administrator
would.)"""

import pytest
from django.contrib import admin
from django.db import models

from awards.models import Ballot, BallotCode, SealedBallot

ALLOWED = {
    Ballot: {"id", "poll", "choices", "blank"},
    BallotCode: {"id", "poll", "code_hash", "consumed", "spare_number", "handed_out"},
    SealedBallot: {"id", "poll", "sealed", "tracker"},
}
FORBIDDEN_TYPES = (
    models.DateField,
    models.DateTimeField,
    models.TimeField,
    models.GenericIPAddressField,
    models.AutoField,
    models.BigAutoField,
)


@pytest.mark.parametrize("model", list(ALLOWED))
def test_ballot_tables_have_no_linking_column(model):
    fields = {f.name: f for f in model._meta.get_fields() if f.concrete}
    assert set(fields) == ALLOWED[model]
    assert isinstance(model._meta.pk, models.UUIDField)
    for field in fields.values():
        assert not isinstance(field, FORBIDDEN_TYPES), field
        if field.is_relation:
            assert field.related_model.__name__ == "Poll", field


@pytest.mark.parametrize("model", list(ALLOWED))
def test_ballot_tables_are_out_of_the_audit_trail_and_the_admin(model):
    assert not hasattr(model, "history")
    assert model not in admin.site._registry


def test_ballot_codes_and_sealed_ballots_know_no_holder():
    for model in (BallotCode, SealedBallot):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"person", "user", "unit", "issuance", "ballot"}
