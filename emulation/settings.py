"""Settings for the emulation cluster app. Every value comes from the environment (.env.example)."""

import datetime
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG else None)
if not DEBUG and SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "post_office",
    "common",
    "notifications",
    "clusters",
    "scorecards",
    "awards",
    "reports",
    "desk",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "emulation.urls"
WSGI_APPLICATION = "emulation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusters.context_processors.my_roles",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# PostgreSQL in tests and production; SQLite only as the zero-setup demo default.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # ModelBackend's permissions, with sign-in by username or email address.
    "clusters.backends.EmailOrUsernameBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first, English available; dates dd/mm/yyyy and decimal comma come from
# emulation/formats/vi.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["emulation.formats"]
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
TIME_ZONE = "Asia/Ho_Chi_Minh"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded documents (plans, minutes) are limited in size and checked by content.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REDIS_URL = env_str("REDIS_URL", "")
# A cache shared by every process (rate limits of ballot codes) when Redis is there.
CACHES = {
    # Short timeouts: what uses the cache (the wrong-code limits) goes on without it.
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Wrong card codes the whole room may type for one poll in 10 minutes before code entry pauses
# for a minute and the committee is warned (awards.guesses).
VOTE_ROOM_FAILED_BUDGET = 30

# Celery: Redis as broker when REDIS_URL is set; otherwise tasks run in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery beat (celery -A emulation beat, one process only): the deadline reminders every day at
# 07:00 in CELERY_TIMEZONE (Asia/Ho_Chi_Minh). Sending is idempotent (ReminderLog rows).
CELERY_BEAT_SCHEDULE = {
    "send-deadline-reminders": {
        "task": "emulation.scorecards.tasks.send_deadline_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # The email outbox (notifications.outbox): what is queued in PostgreSQL goes out within a
    # minute even when the message that should have woken a worker was lost (broker down).
    "send-queued-mail": {
        "task": "notifications.tasks.send_queued_mail",
        "schedule": 60.0,
    },
    # Report jobs whose message was lost, or whose worker died, are queued again.
    "sweep-report-jobs": {
        "task": "emulation.reports.tasks.sweep_report_jobs",
        "schedule": 60.0,
    },
}
# A running report job not heard of for this many seconds is taken to be lost (its worker died)
# and is queued again; a waiting job, too, after this long without a worker taking it.
REPORTS_STALE_SECONDS = env_int("REPORTS_STALE_SECONDS", 120)
# Seconds to pause between the steps of a report job: 0 in production; tests and the demo set it
# to watch the progress bar move and to stop a worker in the middle of a job.
REPORTS_STEP_PAUSE = env_int("REPORTS_STEP_PAUSE", 0)
# Days before a deadline on which units that have not acted are reminded, e.g. 7,3,1.
try:
    REMINDER_DAYS_BEFORE = sorted(
        {int(day) for day in env_list("REMINDER_DAYS_BEFORE", ["7", "3", "1"])}, reverse=True
    )
except ValueError:
    raise ImproperlyConfigured("REMINDER_DAYS_BEFORE must be whole numbers, e.g. 7,3,1.") from None
if any(day < 0 for day in REMINDER_DAYS_BEFORE):
    raise ImproperlyConfigured("REMINDER_DAYS_BEFORE cannot be negative.")
# The deadlines reminded and what the secretariat's digest counts: each module holds DEADLINES
# and WAITING (scorecards.deadlines). Listed here so that scorecards, which sends the reminders,
# never imports the apps built on it. A cluster may set its own days (Cluster.reminder_days).
REMINDER_SOURCES = ["scorecards.deadlines", "awards.deadlines", "reports.deadlines"]

# Every email of the app is written to PostgreSQL first (django-post-office's outbox) and
# delivered by a Celery worker (notifications.outbox), so a broker or mail server outage delays
# mail and loses none. EMAIL_BACKEND in the environment names the delivery backend (SMTP in
# production, the console in the demo); EMAIL_HOST and the rest configure it as before.
EMAIL_DELIVERY_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if EMAIL_DELIVERY_BACKEND.startswith("post_office"):
    raise ImproperlyConfigured("EMAIL_BACKEND names the delivery backend, not post_office.")
EMAIL_BACKEND = "post_office.EmailBackend"
POST_OFFICE = {
    "BACKENDS": {"default": EMAIL_DELIVERY_BACKEND},
    "DEFAULT_PRIORITY": "medium",
    # A failed delivery is tried again this many times, RETRY_INTERVAL apart, then left failed
    # (visible in the admin's Post Office pages).
    "MAX_RETRIES": 5,
    "RETRY_INTERVAL": datetime.timedelta(minutes=5),
    # post_office's own Celery hook publishes on commit without catching a broker error, so a
    # stopped broker would turn a hand-off into a 500: notifications.outbox wakes the worker.
    "CELERY_ENABLED": False,
}
# The address of the app in the links of emails (e.g. https://thidua.example.vn); relative links
# when empty.
SITE_URL = env_str("SITE_URL", "").rstrip("/")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent_emails"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cumthidua@localhost")

# A strict Content Security Policy: templates carry no inline script or style, data reaches
# JavaScript through json_script, and everything is served from the app itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_response_size": {"()": "common.logging.WithoutResponseSize"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        # The development server's request lines, without the response size.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["without_response_size"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# The demo data (`manage.py load_demo`), loaded in this order in one transaction. The first
# loader takes no argument; each later one takes the merged dicts of those before it and returns
# its own. Listed here so that clusters (the command's app) never imports the apps built on it.
DEMO_LOADERS = [
    "clusters.demo.load_demo_data",
    "scorecards.demo.load_demo_scorecards",
    "awards.demo.load_demo_awards",
    "awards.demo_conference.load_demo_conference_2020",
    "reports.demo.load_demo_reports",
]

# Pages of the apps built on clusters, shown on the cluster and cluster-year pages. clusters
# renders these templates without knowing what they hold (it must not import the apps above it).
CLUSTER_SECTIONS = ["scorecards/_cluster_section.html"]
CLUSTER_YEAR_SECTIONS = [
    "scorecards/_year_section.html",
    "awards/_year_section.html",
    "reports/_year_section.html",
]
CONFERENCE_SECTIONS = ["awards/_conference_section.html"]
# The groups of a cluster's settings (Thiết lập cụm) that the apps above own: templates the
# clusters settings page includes, each showing its values and linking to its own page.
CLUSTER_SETTINGS_SECTIONS = [
    "scorecards/settings/_section.html",
    "awards/settings/_section.html",
]
# What the home page shows of the conferences where the account serves (clusters' home view).
HOME_SECTIONS = ["awards/_home_section.html"]
