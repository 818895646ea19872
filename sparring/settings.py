"""Sparring's one settings module: every deployment difference comes from the environment.

See README.md for the variables. Defaults suit `make run` on a laptop; production sets at
least SECRET_KEY, ALLOWED_HOSTS, SPARRING_BASE_URL and DATABASE_URL.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from core.log import logging_config
from notifications.webhook_network import parse_networks
from sparring.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production-0123456789abcdef"

SPARRING_BASE_URL = env_str("SPARRING_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [urlsplit(SPARRING_BASE_URL).hostname or "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = [SPARRING_BASE_URL]

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "mozilla_django_oidc",
    "core",
    "accounts",
    "organisation",
    "profiles",
    "checkins",
    "teamwork",
    "notifications",
    "feedback",
    "recognition",
    "pulse",
    "conversations",
    "development",
    "learning",
    "home",
    "privacy",
    "api",
]

MIDDLEWARE = [
    # First: a load balancer's probe skips host checks, the HTTPS redirect and sessions.
    "core.middleware.HealthCheckMiddleware",
    # Then every request gets an id, which its log lines and its response carry.
    "core.log.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    # WhiteNoise, its table of files made once per process (core/middleware.py).
    "core.middleware.StaticFilesMiddleware",
    # Counts and times requests by view, for /metrics: not probes, /metrics or static files.
    "core.metrics.MetricsMiddleware",
    # Below WhiteNoise: static files keep their cache headers, everything else is no-store.
    "core.middleware.PrivateNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the person read with the session (accounts/middleware.py).
    "accounts.middleware.PersonAuthenticationMiddleware",
    # Danish unless the person chose English: their account's choice, else this browser's.
    "core.middleware.PersonLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sparring.urls"
WSGI_APPLICATION = "sparring.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.sparring",
                "notifications.context_processors.unread",
                "organisation.context_processors.branding",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# How many statements each connection keeps prepared, on either database (on PostgreSQL with
# prepared statements on, below): one round of the benchmark's pages runs 158 different
# statements, more than Python's sqlite3 keeps (128) or psycopg (100), and a cache smaller than a
# round of them misses every time. Prepared anew, most pages took a
# tenth longer on SQLite and up to a fifth longer on PostgreSQL (docs/benchmarks.md).
STATEMENTS_KEPT = env_int("DATABASE_STATEMENTS_KEPT", 1000)
# SQLite is the embedded default. WAL lets readers run beside the one writer; IMMEDIATE takes
# the write lock when a transaction starts, so two writers queue on the busy timeout instead of
# failing with "database is locked" half-way through.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'sparring.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db.setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "cached_statements": STATEMENTS_KEPT,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                # Deleted rows are overwritten, not left in free pages (docs/privacy.md).
                "PRAGMA secure_delete=ON;"
            ),
        }
    )
    # Each server process keeps its connection between requests: opening one, with the
    # pragmas above, cost a tenth of a wellbeing answer's time under load.
    _db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # One connection per server thread, kept between requests and checked at the start of each
    # by its socket, not by a query (core/liveness.py): after PostgreSQL restarts, the next
    # request opens a fresh connection instead of failing on the dead one, with no restart of
    # Sparring. (psycopg's pool, used before, made
    # requests wait its whole timeout while the database was down, and failed the first request
    # after a restart while it backed off.)
    _db["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600)
    _db["CONN_HEALTH_CHECKS"] = True
    # A database that is down answers within seconds: a 503 page, not a hanging request. Options
    # from the URL (sslmode=verify-full, connect_timeout, ...) win over these.
    _options = _db.setdefault("OPTIONS", {})
    for _name, _value in {
        "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 2),  # libpq's least is 2
        # A connection whose server vanished without a word is noticed by the kernel: after 10 s
        # idle, 3 unanswered probes 2 s apart; data unacknowledged for 2 s ends it at once.
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 2,
        "keepalives_count": 3,
        "tcp_user_timeout": 2000,
    }.items():
        _options.setdefault(_name, _value)
    # Each connection prepares a statement it has run five times (psycopg's own default, which
    # Django turns off), so that PostgreSQL parses and plans it once, not on every request: under
    # the mixed load on two cores, PostgreSQL's share of the CPU fell by a third
    # (docs/benchmarks.md). Behind PgBouncer in transaction mode older than 1.22, or without its
    # max_prepared_statements, set DATABASE_PREPARED_STATEMENTS=false.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        _options.setdefault("server_side_binding", True)
        _options.setdefault("prepare_threshold", 5)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and login -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Django's ModelBackend, reading a session's person by a compiled statement. A session records
# its backend's name, so sessions made before the name changed log in once more.
AUTHENTICATION_BACKENDS = ["accounts.backends.PersonBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "accounts:login"

SPARRING_LOCKOUT_ATTEMPTS = env_int("SPARRING_LOCKOUT_ATTEMPTS", 5)
SPARRING_LOCKOUT_MINUTES = env_int("SPARRING_LOCKOUT_MINUTES", 15)
SPARRING_LOCKOUT_ATTEMPTS_PER_ADDRESS = env_int("SPARRING_LOCKOUT_ATTEMPTS_PER_ADDRESS", 50)
# How many reverse proxies in front of Sparring append to X-Forwarded-For. 0: the client is
# REMOTE_ADDR. Set it to exactly the number of your own proxies: one too many lets a client
# choose its own address, one too few counts everyone as the proxy.
SPARRING_TRUSTED_PROXIES = env_int("SPARRING_TRUSTED_PROXIES", 0)

# Links by e-mail to set a password: an invitation, or "forgot my password". Single use and
# short-lived; at most a few per person and per client address an hour.
SPARRING_INVITATION_DAYS = env_int("SPARRING_INVITATION_DAYS", 7)
SPARRING_PASSWORD_RESET_HOURS = env_int("SPARRING_PASSWORD_RESET_HOURS", 2)
SPARRING_PASSWORD_LINKS_PER_HOUR = env_int("SPARRING_PASSWORD_LINKS_PER_HOUR", 3)
SPARRING_PASSWORD_LINKS_PER_ADDRESS_PER_HOUR = env_int(
    "SPARRING_PASSWORD_LINKS_PER_ADDRESS_PER_HOUR", 10
)
# After an administrator or an import changes the e-mail address of a person who can log in,
# no link to set a password is sent to that person for this many days.
SPARRING_EMAIL_CHANGE_HOLD_DAYS = env_int("SPARRING_EMAIL_CHANGE_HOLD_DAYS", 7)

# Sessions live in our own table, which knows its user, so that logging out everywhere and
# deactivating a person end every session on the server (accounts.session_store); the
# statement that reads one with its person also counts the person's unread notifications.
SESSION_ENGINE = "notifications.session_store"
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- OpenID Connect (Keycloak, OS2faktor, Entra ID) ---------------------------------------------
OIDC_ENABLED = bool(env_str("OIDC_RP_CLIENT_ID"))
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.SparringOIDCBackend")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_OP_LOGOUT_ENDPOINT")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "OS2faktor")
# The claim that identifies a person; "email" matches on e-mail, any other claim on the
# person's external id (for example "sub" or a Keycloak attribute with the OS2mo uuid).
OIDC_MATCH_CLAIM = env_str("OIDC_MATCH_CLAIM", "email")
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", True)
# Matching by e-mail needs the provider to say email_verified: true. A provider that never
# sends the claim (Entra ID) is trusted only when this is set; matching on a stable claim
# (OIDC_MATCH_CLAIM=sub or an OS2mo uuid) is the safer choice.
OIDC_TRUST_EMAIL_WITHOUT_VERIFIED_CLAIM = env_bool("OIDC_TRUST_EMAIL_WITHOUT_VERIFIED_CLAIM", False)
# The id token must come from this issuer and be meant for OIDC_RP_CLIENT_ID.
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER")
if OIDC_ENABLED and not OIDC_OP_ISSUER:
    raise ImproperlyConfigured("OIDC_OP_ISSUER is required when OpenID Connect is enabled.")
OIDC_USE_PKCE = True
OIDC_USERNAME_ALGO = "accounts.oidc.username_from_email"
OIDC_STORE_ID_TOKEN = bool(OIDC_OP_LOGOUT_ENDPOINT)
OIDC_OP_LOGOUT_URL_METHOD = "accounts.oidc.provider_logout_url"
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_SSL", True)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
# Our subclasses of the library's views: open without login, and a clear message on failure.
OIDC_AUTHENTICATE_CLASS = "accounts.views.OIDCAuthenticationRequestView"
OIDC_CALLBACK_CLASS = "accounts.views.OIDCAuthenticationCallbackView"

# --- OS2mo ------------------------------------------------------------------------------------
OS2MO_GRAPHQL_URL = env_str("OS2MO_GRAPHQL_URL")
OS2MO_TOKEN_URL = env_str("OS2MO_TOKEN_URL")
OS2MO_CLIENT_ID = env_str("OS2MO_CLIENT_ID")
OS2MO_CLIENT_SECRET = env_str("OS2MO_CLIENT_SECRET")
OS2MO_PAGE_SIZE = env_int("OS2MO_PAGE_SIZE", 500)

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "sparring@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The worker retries a failed e-mail after 1, 2, 4 ... minutes (at most an hour apart) and
# gives up after this many attempts, keeping the e-mail and its last error.
SPARRING_EMAIL_MAX_ATTEMPTS = env_int("SPARRING_EMAIL_MAX_ATTEMPTS", 10)
# A worker claims an e-mail or chat message for this long before sending it; if it dies
# mid-send, another worker sends it once the claim has run out (a rare duplicate, never a loss).
SPARRING_DELIVERY_LEASE_SECONDS = env_int("SPARRING_DELIVERY_LEASE_SECONDS", 600)

# --- Chat channels ----------------------------------------------------------------------------
# The worker posts to chat webhooks (Zulip, Teams, Mattermost, Slack), waiting at most this
# many seconds for an answer, and retries like e-mail until this many attempts have failed.
SPARRING_WEBHOOK_TIMEOUT = env_int("SPARRING_WEBHOOK_TIMEOUT", 10)
SPARRING_WEBHOOK_MAX_ATTEMPTS = env_int("SPARRING_WEBHOOK_MAX_ATTEMPTS", 10)
# Webhooks go to the public internet only. An on-premise chat server inside the organisation's
# network is reached only when its network is listed here (CIDR, comma-separated, for example
# "10.20.0.0/16,fd12:3456::/48"); link-local addresses (169.254.0.0/16, fe80::/10, where cloud
# metadata services live) stay refused even then. See README.md.


def _networks(name: str) -> list[str]:
    """A comma-separated list of networks in CIDR notation, checked as the settings load."""
    networks = env_list(name, [])
    try:
        parse_networks(networks)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be networks in CIDR notation: {error}") from None
    return networks


SPARRING_WEBHOOK_ALLOWED_NETWORKS = _networks("SPARRING_WEBHOOK_ALLOWED_NETWORKS")

# --- Caches -----------------------------------------------------------------------------------
# Each server process keeps its own: the organisation's name and logo for the header
# (organisation/branding.py), and "fragments", the parts of a page that are the same for
# everyone who sees them (the links to the styles and scripts, the main menu of a role on a
# page, in a language), rendered once a process by base.html's {% cache %} blocks rather than
# on every request. Nothing personal goes into either.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # With DEBUG (a developer's runserver), none: a template changed shows at once.
    "fragments": {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache"
        if DEBUG
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": None,
    },
}

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_THOUSAND_SEPARATOR = True  # 25.000 in Danish; ids in URLs go through {% url %}, unlocalised
# One format each for a date, a date with time and a week, in Danish and British English
# (docs/glossary.md); the week is core.dates.week_label.
FORMAT_MODULE_PATH = ["sparring.formats"]
USE_TZ = True

# --- Static files (front-end assets come from npm at install time, see Makefile) --------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("vendor/dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# WhiteNoise compresses the static files ahead of time, beside what it skips anyway (images,
# woff and woff2, archives). The design system's fonts as otf and ttf, which its styles never
# have a browser fetch (they name woff2 and woff; their one ttf under a format name no browser
# knows), and the source maps, which only developer tools fetch, are left as they are:
# compressing them took three quarters of collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "otf", "ttf", "map"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------------------------
# On by default where Sparring is reached over HTTPS: a server on a plain http:// address (the
# production server tried on a laptop, `make serve`) has nothing to redirect to.
SECURE_SSL_REDIRECT = env_bool(
    "SECURE_SSL_REDIRECT", not DEBUG and SPARRING_BASE_URL.startswith("https://")
)
if env_bool("SECURE_PROXY_SSL", False):
    # Behind a reverse proxy that terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds every subdomain of the organisation's domain for good: the domain
    # owner's decision, so it is opt-in, and check --deploy need not ask for it.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
# A form whose token expired gets Sparring's own page, in the person's language.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# No inline script and no inline style, ever: everything is a file served by the app.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
# OIDC login posts nothing cross-site, but the provider's pages are a redirect target.
if OIDC_OP_AUTHORIZATION_ENDPOINT:
    _op = urlsplit(OIDC_OP_AUTHORIZATION_ENDPOINT)
    CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {_op.scheme}://{_op.netloc}"
    )

# --- Metrics ----------------------------------------------------------------------------------
# /metrics (Prometheus' text format) answers only a scraper that sends
# "Authorization: Bearer <SPARRING_METRICS_TOKEN>" or asks from an address in
# SPARRING_METRICS_NETWORKS (CIDR, comma-separated, the address as SPARRING_TRUSTED_PROXIES
# finds it); anyone else, and everyone while neither is set, gets 404. Served by several
# processes, the server sets PROMETHEUS_MULTIPROC_DIR to an empty directory (core/metrics.py).
SPARRING_METRICS_TOKEN = env_str("SPARRING_METRICS_TOKEN")
if SPARRING_METRICS_TOKEN and len(SPARRING_METRICS_TOKEN) < 16:
    raise ImproperlyConfigured("SPARRING_METRICS_TOKEN must be at least 16 characters long.")
SPARRING_METRICS_NETWORKS = _networks("SPARRING_METRICS_NETWORKS")

# --- Logging ----------------------------------------------------------------------------------
# Every line with its time in UTC and the offset, and the id of its request (core/log.py); as
# text, or as one JSON object a line with LOG_FORMAT=json.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("LOG_FORMAT must be text or json.")
LOGGING = logging_config(level=env_str("LOG_LEVEL", "INFO"), format=LOG_FORMAT)

# --- Sparring ---------------------------------------------------------------------------------
SPARRING_ORGANISATION_NAME = env_str("SPARRING_ORGANISATION_NAME", "OS2")
# /health/ready answers 503 when no worker began a tick for this many seconds; 0 leaves the
# worker out of it (for a load balancer that should not depend on the worker).
SPARRING_WORKER_STALE_SECONDS = env_int("SPARRING_WORKER_STALE_SECONDS", 300)
# How many days after writing it a person may still change a check-in.
SPARRING_CHECKIN_EDIT_DAYS = env_int("SPARRING_CHECKIN_EDIT_DAYS", 7)

# Den Kommunale Kompetencefond: the terms a course's application draft estimates from. The
# parties to the fund change them between agreements, so they are set here, not in code; the
# draft calls its figures estimates to check with the fund.
# The share of the covered costs the fund pays (the workplace pays the rest), in per cent.
SPARRING_FUND_SHARE_PERCENT = env_int("SPARRING_FUND_SHARE_PERCENT", 80)
# The most the fund pays one person within 12 months, in whole kroner.
SPARRING_FUND_MAX_AMOUNT = env_int("SPARRING_FUND_MAX_AMOUNT", 30000)
# Which costs the fund shares: course_fee, transport, materials.
SPARRING_FUND_COVERS = env_list("SPARRING_FUND_COVERS", ["course_fee", "transport", "materials"])
# The draft warns when the start is fewer days away than this (the application must reach the
# fund before the start, and the fund answers within about two weeks) ...
SPARRING_FUND_WARN_DAYS_BEFORE = env_int("SPARRING_FUND_WARN_DAYS_BEFORE", 14)
# ... and when it is more months away than this (the fund takes applications at the earliest
# nine months before the start).
SPARRING_FUND_MONTHS_AHEAD = env_int("SPARRING_FUND_MONTHS_AHEAD", 9)
if not 0 <= SPARRING_FUND_SHARE_PERCENT <= 100:
    raise ImproperlyConfigured("SPARRING_FUND_SHARE_PERCENT must be between 0 and 100.")
if SPARRING_FUND_MAX_AMOUNT < 0 or SPARRING_FUND_WARN_DAYS_BEFORE < 0:
    raise ImproperlyConfigured(
        "SPARRING_FUND_MAX_AMOUNT and SPARRING_FUND_WARN_DAYS_BEFORE cannot be negative."
    )
if SPARRING_FUND_MONTHS_AHEAD < 1:
    raise ImproperlyConfigured("SPARRING_FUND_MONTHS_AHEAD must be 1 or more.")
if not set(SPARRING_FUND_COVERS) <= {"course_fee", "transport", "materials"}:
    raise ImproperlyConfigured(
        "SPARRING_FUND_COVERS names costs among course_fee, transport and materials, "
        f"comma-separated, not {SPARRING_FUND_COVERS!r}."
    )
# The anonymity k of figures that are not a wellbeing survey's (each survey has its own): the
# smallest group the team picture of self-assessments shows. At least 3 (PRODUCT.md,
# anonymity rule 1); a lower value stops the count with an error rather than show less.
SPARRING_ANONYMITY_K = env_int("SPARRING_ANONYMITY_K", 5)
# The host names of the organisation's handbook and Nextcloud, comma-separated (a host counts
# with its subdomains): a learning entry's links there are shown as "Håndbog" / "Nextcloud".
# A Nextcloud share link is known by its path wherever it is hosted.
SPARRING_HANDBOOK_HOSTS = env_list("SPARRING_HANDBOOK_HOSTS", [])
SPARRING_NEXTCLOUD_HOSTS = env_list("SPARRING_NEXTCLOUD_HOSTS", [])
