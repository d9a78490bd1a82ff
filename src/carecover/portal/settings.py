"""Django settings, all read from the environment through ``config`` (see its table).

Production is the default: with ``CARECOVER_DEBUG`` unset and ``CARECOVER_HTTPS``
true, ``manage.py check --deploy`` is clean.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from carecover.portal.config import (
    DEFAULT_SQLITE_PATH,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_mco_profile,
    env_secret,
    env_str,
)

PORTAL_DIR = Path(__file__).resolve().parent

SECRET_KEY = env_secret()
DEBUG = env_bool("CARECOVER_DEBUG", False)
ALLOWED_HOSTS = env_list("CARECOVER_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
HTTPS = env_bool("CARECOVER_HTTPS", True)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # django-ninja: the API's Swagger UI served from its own static files (no CDN).
    "ninja",
    "carecover.portal.accounts",
    "carecover.portal.incidents",
    "carecover.portal.compliance",
    "carecover.portal.audit",
    "carecover.portal.nursinghome",
    # Reminders: django-tasks with its database queue (works on SQLite and PostgreSQL).
    "django_tasks",
    "django_tasks_db",
    "carecover.portal.notifications",
    "carecover.portal.visits",
    "carecover.portal.analysts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "carecover.portal.headers.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A query parameter out of bounds (``queryparams.BadQuery``) is a 400 page, never a 500.
    "carecover.portal.queryparams.BadQueryMiddleware",
    # django-axes must come last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carecover.portal.urls"
WSGI_APPLICATION = "carecover.portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PORTAL_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "carecover.portal.notifications.context.unread_notifications",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("CARECOVER_DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite creates the file but not its folder (~/.local/share/carecover by default).
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Throttles failed logins (by user name and address) before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Roll-up pages: how many periods the "trend over periods" covers, this one included.
# Each nursing facility's DuckDB store (PBJ hours, MDS assessments): <CCN>.duckdb.
CARECOVER_FACILITY_STORES = Path(
    env_str("CARECOVER_FACILITY_STORES", str(DEFAULT_SQLITE_PATH.parent / "facilities"))
)
# The largest file the nursing-home upload page takes (a PBJ XML of a large
# facility's quarter is tens of MB; ZIPs are smaller).
#: The national PBJ history store (``carecover pbj history load``) of the analyst workspace.
CARECOVER_HISTORY_STORE = Path(
    env_str("CARECOVER_HISTORY_STORE", str(DEFAULT_SQLITE_PATH.parent / "history.duckdb"))
)
CARECOVER_UPLOAD_MAX_BYTES = env_int("CARECOVER_UPLOAD_MAX_MB", 512) * 1024 * 1024
# Large uploads are spooled by Django to a temporary file while they arrive: in a
# folder of ours (not /tmp), private, so that start-up can remove the copies a
# killed request left behind (an MDS extract holds SSNs).
FILE_UPLOAD_TEMP_DIR = str(CARECOVER_FACILITY_STORES / ".receiving")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(mode=0o700, parents=True, exist_ok=True)
ROLLUP_TREND_MONTHS = env_int("CARECOVER_TREND_MONTHS", 6)
ROLLUP_TREND_QUARTERS = env_int("CARECOVER_TREND_QUARTERS", 4)
# The MCO's profile (period scheme, requirement start, contact, State cell size,
# export layout): a shipped profile's name (partners, alliance, vaya) or a file;
# empty: Partners (carecover/data/backup/mco.toml). Checked here, at start-up.
CARECOVER_MCO_PROFILE = env_mco_profile()

AXES_FAILURE_LIMIT = env_int("CARECOVER_LOGIN_ATTEMPTS", 5)
AXES_COOLOFF_TIME = timedelta(minutes=15)
# One user name from one address, and one address across user names (a sprayed
# password): ``accounts.throttling`` holds the second, higher limit.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_ADDRESS_FAILURE_LIMIT = env_int("CARECOVER_LOGIN_ATTEMPTS_PER_ADDRESS", 20)
AXES_HANDLER = "carecover.portal.accounts.throttling.AddressCappedHandler"
# An administrator's one-time password-reset link works for a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Inactivity expiry: the cookie's age is renewed on every request, so a session
# ends SESSION_COOKIE_AGE after the last request, not after login.
SESSION_COOKIE_AGE = env_int("CARECOVER_SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSP = env_str(
    "CARECOVER_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PORTAL_DIR / "static"]
# Only needed for ``collectstatic`` behind a separate web server.
STATIC_ROOT = env_str("CARECOVER_STATIC_ROOT", "") or None
# Serve straight from the app directories: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line": {"()": "carecover.portal.requestlog.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Request logs name paths only; paths hold ids, never member data.
    "root": {"handlers": ["console"], "level": "WARNING"},
    # A 403 or 400 is one line, without a traceback (``requestlog``).
    "loggers": {"django.request": {"filters": ["one_line"]}},
}

# Reminders and e-mail (docs/notifications.md). The worker (`carecover worker`)
# runs the queued scan every CARECOVER_REMINDER_MINUTES.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CARECOVER_REMINDER_MINUTES = env_int("CARECOVER_REMINDER_MINUTES", 60)
# Links in e-mails point here (the portal's public address).
CARECOVER_SITE_URL = env_str("CARECOVER_SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "none": "django.core.mail.backends.dummy.EmailBackend",
}[env_choice("CARECOVER_EMAIL_BACKEND", "smtp", ["smtp", "console", "none"])]
EMAIL_HOST = env_str("CARECOVER_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CARECOVER_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("CARECOVER_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("CARECOVER_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CARECOVER_EMAIL_TLS", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("CARECOVER_EMAIL_FROM", "carecover <noreply@localhost>")
