# syntax=docker/dockerfile:1
# Multi-stage build: wheels are built in the first stage, the runtime image holds only the venv.
FROM python:3.12-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements/ /tmp/requirements/
RUN /opt/venv/bin/pip install -r /tmp/requirements/prod.txt

FROM python:3.12-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_STATIC_MANIFEST=1 \
    MARQUEE_VAR_DIR=/var/lib/marquee
RUN groupadd --system marquee && useradd --system --gid marquee --home /app marquee \
    && mkdir -p /var/lib/marquee && chown marquee:marquee /var/lib/marquee
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=marquee:marquee . /app
# collectstatic needs a settings module that imports; the key here is thrown away with the layer.
RUN SECRET_KEY=build-only-secret-key-not-used-at-runtime-0123456789abcdef \
    python manage.py collectstatic --noinput -v0
USER marquee
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
