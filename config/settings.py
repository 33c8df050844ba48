"""Samskab settings: one file, every deployment difference comes from environment variables.

See docs/deployment.md for the variables and their production values.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEVELOPMENT_SECRET_KEY = "samskab-development-key-not-for-production-use-0123456789abcdef"
if not SECRET_KEY:
    # The demo and the tests only; `check --deploy` refuses this key (samskab.lib.checks).
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The site's public address, for the links in emails sent outside a request (invitations, notifications): the
# demo's address only in DEBUG. Unset in production, `check --deploy` refuses it (samskab.lib.checks).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").strip().rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "samskab.wording",  # before allauth: its Danish wording replaces allauth's where ours reads better
    "allauth",
    "allauth.account",
    "samskab.accounts",
    "samskab.actors",
    "samskab.partnerships",
    "samskab.opinions",
    "samskab.surveys",
    "samskab.insights",
    "samskab.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samskab.lib.middleware.DanishFirstLocaleMiddleware",
    "samskab.lib.middleware.RefuseNulMiddleware",  # before anything reads the session cookie
    "samskab.lib.middleware.ApiAnswersJsonMiddleware",
    "samskab.lib.middleware.FormAddressLeadsBackMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samskab" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samskab.insights.context_processors.municipal_staff",
                "samskab.partnerships.context_processors.invitations_menu",
                "samskab.lib.context_processors.site",
            ],
            "builtins": ["samskab.lib.template_filters"],
        },
    },
]
FORM_RENDERER = "samskab.lib.forms.DesignSystemRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
PG_RANDOM_PAGE_COST = os.environ.get("PG_RANDOM_PAGE_COST", "1.1")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and PG_RANDOM_PAGE_COST:
    # PostgreSQL's default random_page_cost (4) assumes spinning disks; on SSDs 1.1 lets the planner use the
    # full-text and trigram indexes for counts it otherwise scans (docs/benchmarks.md: search p95 57 to 47 ms).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"-c random_page_cost={float(PG_RANDOM_PAGE_COST)}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while a writer commits; IMMEDIATE takes the write lock at BEGIN so
    # two concurrent writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not shared-cache memory, so that tests of concurrent writers see real SQLite locking.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"samskab-test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Rate limits count in the cache: allauth's for logins and sign-ups, and the community surveys' open link. Each
# process has its own memory cache; in production the database cache (`manage.py createcachetable`) makes the
# limits hold across workers and machines (docs/deployment.md).
CACHES = {
    "default": {
        "BACKEND": os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("CACHE_LOCATION", "samskab"),
        # Counts live an hour at most; room for many (the memory and database caches cull beyond MAX_ENTRIES).
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "samskab.accounts.forms.SignupNameForm"
ACCOUNT_ADAPTER = "samskab.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "samskab.accounts.adapter.LoginForm"}
ACCOUNT_LOGOUT_ON_GET = False
# Every email's subject starts so: allauth's, the invitations' and the notifications' (and Django's to admins).
EMAIL_SUBJECT_PREFIX = "[Samskab] "
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Behind the reverse proxy every request comes from the proxy: the client's address, for allauth's rate limits
# and the community surveys' open link (samskab.surveys.views), is then the one the proxy adds to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "samskab" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Copenhagen"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "samskab" / "static",
    ("dkfds", NODE_MODULES / "dkfds" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("leaflet", NODE_MODULES / "leaflet" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email through Django's mail framework: the console in the demo, SMTP in production.
_email_backend = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options: dict[str, object] = {}
if _email_backend.endswith("smtp.EmailBackend"):
    _email_options = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "25")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
    }
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samskab <noreply@samskab.local>")

# Map tiles for the actor map (OpenStreetMap when online); empty turns tiles off and leaves the list.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# Where users get the source of the version that serves them (AGPL-3.0 section 13); linked in every page's footer.
SOURCE_CODE_URL = os.environ.get("SOURCE_CODE_URL", "")
# Who is responsible for the personal data (the data controller, usually the municipality running the site) and how
# to reach them or their data protection officer: named on the privacy page. `check --deploy` warns when unset.
PRIVACY_CONTROLLER = os.environ.get("PRIVACY_CONTROLLER", "")
PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "")
# The controller's own privacy policy (a municipality has one), for the legal basis and retention: linked when set.
PRIVACY_POLICY_URL = os.environ.get("PRIVACY_POLICY_URL", "")
# The accessibility statement a Danish public body publishes for its site (webtilgængelighedsloven), made with the
# Agency for Digital Government's WAS-tool; linked in every page's footer. `check --deploy` warns when unset.
ACCESSIBILITY_STATEMENT_URL = os.environ.get("ACCESSIBILITY_STATEMENT_URL", "")

# Dataforsyningen's address search (GSearch) turns addresses into coordinates when a token is set;
# without one nothing is looked up and actors are pinned by hand.
GSEARCH_TOKEN = os.environ.get("GSEARCH_TOKEN", "")
GSEARCH_URL = os.environ.get("GSEARCH_URL", "https://api.dataforsyningen.dk/rest/gsearch/v2.0/adresse")

# Surveys show no aggregate for fewer respondents than this (never below 5; sensitive scales ask more).
SURVEY_MIN_RESPONDENTS = int(os.environ.get("SURVEY_MIN_RESPONDENTS", "5"))

# Background work: run at once in the demo and the tests; a database-backed queue in production
# (`manage.py db_worker` consumes it).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"),
    }
}

# Production hardening, active whenever DEBUG is off (and checked by `manage.py check --deploy`).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole parent domain (often the municipality's own) to HTTPS; opt in only.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
