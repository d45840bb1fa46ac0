"""Marquee settings: everything that varies between machines comes from the environment.

With no environment at all you get the embedded setup: SQLite and a secret key in `var/`, a
local-memory cache and DEBUG off. Every variable is listed in docs/configuration.md.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_choice, env_int, env_list, env_str, env_url, secret_key_from

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MARQUEE_VAR_DIR") or BASE_DIR / "var")

SECRET_KEY = secret_key_from("SECRET_KEY", VAR_DIR / "secret_key")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
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
    "django.contrib.humanize",
    "django.contrib.postgres",  # trigram lookups for search; inert on SQLite
    "django_htmx",
    "axes",
    "health_check",
    "catalog",
    "profiles",
    "recommender",
    "curator",
]

MIDDLEWARE = [
    # First: its tasks run after everything else has answered (config/task_queue.py).
    "config.task_queue.TasksAfterResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.RejectNulBytesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
            "builtins": ["django_htmx.templatetags.django_htmx"],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL points elsewhere (PostgreSQL in production).
DATABASE_URL = env_url("DATABASE_URL", schemes=("postgres", "postgresql", "sqlite"))
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Values travel beside the SQL instead of being quoted into it in Python, which was a
        # tenth of a hot read's cost (psycopg's client-side binding, Django's default).
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "marquee.sqlite3",
            "OPTIONS": {
                # WAL lets pages read while an import or recompute writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory unless REDIS_URL is set. A Redis outage degrades to cache misses: a hung
# or dead Redis costs a process one short timeout, then a circuit breaker treats it as down for
# REDIS_BREAKER_SECONDS (config/redis_cache.py).
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.BreakerRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "marquee",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.25,
                "BREAKER_SECONDS": env_int("REDIS_BREAKER_SECONDS", 5, minimum=1),
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False  # the breaker logs each outage once
    # Sessions live in the cache and in the database, so losing Redis logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "marquee",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "profiles.Account"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out sign-in before the password
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in limits (the site's and the admin's): django-axes, counting in the database so the
# limit holds across processes and without Redis. Failures lock one address from one client
# IP, never the IP alone (a household behind one NAT) nor the address everywhere (its owner),
# and the lock cools off; failing again while locked does not extend it.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "profiles.throttle.client_ip"
AXES_USERNAME_CALLABLE = "profiles.throttle.login_username"
AXES_LOCKOUT_CALLABLE = "profiles.views.accounts.login_locked_out"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profiles:picker"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Hashed, compressed files need `collectstatic` (the Dockerfile runs it); without it whitenoise
# serves straight from the source folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("DJANGO_STATIC_MANIFEST", default=False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not env_bool("DJANGO_STATIC_MANIFEST", default=False)
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns at start-up when it is missing

# Password-reset mail goes to the console unless an SMTP server is configured.
_smtp_host = env_str("EMAIL_HOST")
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Marquee <marquee@localhost>")

# Production hardening: all off by default so `make run` works over plain http.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=False)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts only from this site or inline with the page's nonce ({% htmx_script %} adds it);
# htmx runs without eval (allowEval false in base.html). Style attributes carry per-profile
# colours (style="--avatar: ..."), hence style-src-attr; style elements need the nonce. Images
# may come from TMDB over https.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "https:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The fitted model recompute_recs publishes and every web process and worker loads by version
# (recommender/artifacts.py): local files in MARQUEE_ARTIFACTS_DIR by default, or S3-compatible
# storage (django-storages) when a bucket is named; MARQUEE_ARTIFACTS_DIR is then the local
# cache of downloaded versions. Either way it holds the recompute lock files on SQLite.
MARQUEE_ARTIFACTS_DIR = Path(env_str("MARQUEE_ARTIFACTS_DIR") or VAR_DIR / "artifacts")
_artifacts_bucket = env_str("MARQUEE_ARTIFACTS_S3_BUCKET")
if _artifacts_bucket:
    STORAGES["artifacts"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _artifacts_bucket,
            "location": env_str("MARQUEE_ARTIFACTS_S3_PREFIX", "marquee/artifacts"),
            # Another S3-compatible service (MinIO, Ceph, R2, ...); unset: AWS S3.
            "endpoint_url": env_url("MARQUEE_ARTIFACTS_S3_ENDPOINT", schemes=("http", "https"))
            or None,
            "region_name": env_str("MARQUEE_ARTIFACTS_S3_REGION") or None,
            "file_overwrite": True,  # the `current` pointer is replaced in one PUT
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
        },
    }
else:
    STORAGES["artifacts"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MARQUEE_ARTIFACTS_DIR, "base_url": None},
    }

# Background work (django.tasks): re-scoring after a signal, the nightly fan-out, the TMDB
# sync. By default each task runs in the process that enqueues it, after its transaction
# commits (no extra service); a "background" task enqueued by a request (a re-score) runs there
# after the response has been sent. TASKS_BACKEND=celery sends them to Celery workers over a Redis
# broker (`celery -A config worker`; config/celery.py, config/task_queue.py).
TASKS_BACKEND = env_choice("TASKS_BACKEND", "immediate", ("immediate", "celery"))
if TASKS_BACKEND == "celery":
    CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", schemes=("redis", "rediss")) or REDIS_URL
    if not CELERY_BROKER_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=celery needs CELERY_BROKER_URL or REDIS_URL.")
    _celery = {
        "BACKEND": "config.task_queue.CeleryBackend",
        # After failing to reach the broker, how long a process runs tasks itself.
        "OPTIONS": {"BROKER_DOWN_SECONDS": env_int("REDIS_BREAKER_SECONDS", 5, minimum=1)},
    }
    TASKS = {"default": _celery, "background": _celery}
    CELERY_TASK_DEFAULT_QUEUE = "default"  # django.tasks' queue name; the worker consumes it
    CELERY_TASK_SERIALIZER = "json"
    CELERY_ACCEPT_CONTENT = ["json"]
    CELERY_TASK_IGNORE_RESULT = True  # tasks write their results to the database
    # A worker killed mid-task leaves the message on the queue for another worker; every task
    # here is idempotent (rails are replaced whole).
    CELERY_TASK_ACKS_LATE = True
    CELERY_TASK_REJECT_ON_WORKER_LOST = True
    CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # batches are long: one at a time per process
    CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
    # A web process publishing to a dead or hung broker gives up quickly and runs the task
    # itself (config/task_queue.py), as the immediate backend would.
    CELERY_TASK_PUBLISH_RETRY = False
    CELERY_BROKER_CONNECTION_TIMEOUT = 1
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 1,
        "socket_timeout": 2,  # above the worker's 1 s BRPOP poll
        "max_retries": 0,  # connecting to publish: one attempt, no back-off sleeps
    }
    CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # LOGGING below configures the worker's too
else:
    TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
        # Work whose result the response does not show (a signal's re-score): after the
        # response is sent, in the same process (config/task_queue.py).
        "background": {"BACKEND": "config.task_queue.AfterResponseBackend"},
    }
TMDB_API_KEY = env_str("TMDB_API_KEY")
# TMDB is optional: nothing calls it without a key, and pages never call it at request time.
TMDB_BASE_URL = (
    env_url("TMDB_BASE_URL", schemes=("http", "https")) or "https://api.themoviedb.org/3"
)
TMDB_RATE_LIMIT = env_int("TMDB_RATE_LIMIT", 20, minimum=1)  # requests per second
TMDB_CONCURRENCY = env_int("TMDB_CONCURRENCY", 8, minimum=1)  # connections at once
TMDB_TIMEOUT = env_int("TMDB_TIMEOUT", 15, minimum=1)  # seconds to connect, and to read
TMDB_MAX_RETRIES = env_int("TMDB_MAX_RETRIES", 4, minimum=0)  # per request
TMDB_BACKOFF = 0.5  # seconds before the first retry of a 5xx or timeout; doubles each time

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")),
    },
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.tasks": {"level": "WARNING"},  # one line per task run otherwise
        # django-axes logs every successful sign-in and clean-up at INFO; lockouts and failed
        # attempts are WARNING and still show.
        "axes": {"level": "WARNING"},
    },
}

# JSON API v1 (/api/v1/; docs/api.md): Django REST framework with JWT for integrators and the
# session for the browser, one error shape (config/api.py), throttles counted in the shared
# cache (Redis in production) per scope, and the OpenAPI schema with Swagger UI and Redoc
# served from this site (drf-spectacular-sidecar), never from a CDN.
INSTALLED_APPS += [
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",  # first: 401, not 403
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["config.api_throttles.ScopedThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "auth": f"{env_int('API_RATE_AUTH', 10, minimum=1)}/min",  # per client IP
        "events": f"{env_int('API_RATE_EVENTS', 600, minimum=1)}/min",  # per account
        "refresh": f"{env_int('API_RATE_REFRESH', 12, minimum=1)}/hour",  # per account
        "default": f"{env_int('API_RATE_DEFAULT', 1200, minimum=1)}/min",  # per account
    },
    "EXCEPTION_HANDLER": "config.api.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("API_ACCESS_MINUTES", 15, minimum=1)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("API_REFRESH_DAYS", 7, minimum=1)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "USER_ID_FIELD": "id",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Marquee API",
    "DESCRIPTION": "Profiles, titles, rails, recommendations, signals and events (docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.error_answers_documented",
        "config.api.nul_refused_documented",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TitleKindEnum": "catalog.models.Kind",
        "ProfileKindEnum": "profiles.models.Profile.Kind",
        "InteractionKindEnum": "profiles.models.Interaction.Kind",
    },
}
