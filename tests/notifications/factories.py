import factory

from notifications.models import EmailOptOut, Kind, Notification
from tests.clusters.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = Kind.SCORECARD_RETURNED
    message = factory.Sequence(lambda n: f"Thông báo số {n}")
    url = "/"


class EmailOptOutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailOptOut

    user = factory.SubFactory(UserFactory)
    kind = Kind.SCORECARD_RETURNED
