"""Sign-in with the username or the email address.

Invited officers have their address as username; older accounts have a short username and an
email. An address matches without case; an address shared by two accounts signs in neither
(the person must use their username), since guessing which one was meant would open the other
person's account.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        User = get_user_model()
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = username.strip()
        user = User._default_manager.filter(username=username).first()
        if user is None and "@" in username:
            matches = list(
                User._default_manager.filter(
                    Q(email__iexact=username) | Q(username__iexact=username)
                )[:2]
            )
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            # Spend the time of a password check, so that timing does not tell whether the
            # account exists (as ModelBackend does).
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
