FROM python:3.11-slim

# No development fallback in the image (core/settings/__init__.py): production settings
# unless a container names others.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=core.settings.production \
    STATIC_ROOT=/app/static
WORKDIR /app

# pg_dump/pg_restore (cloning members, backups) must match the server's major version:
# PostgreSQL 16 as in docker-compose.yml, from the PostgreSQL project's own repository.
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && rm -rf /var/lib/apt/lists/*
ENV PG_BIN_DIR=/usr/lib/postgresql/16/bin
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# Build-time values only, thrown away with this step (production refuses a weak key).
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost NETWORK_HOSTS=localhost \
    sh -c "python manage.py collectstatic --noinput --verbosity 0 && python manage.py compile_translations"

RUN useradd --create-home app && mkdir -p /app/media /app/backups /app/static \
    && chown -R app /app/media /app/backups /app/static
USER app
EXPOSE 8000
CMD ["gunicorn", "core.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
