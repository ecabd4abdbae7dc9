FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=core.settings.production
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
RUN SECRET_KEY=build DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    ALLOWED_HOSTS=localhost sh -c "python manage.py collectstatic --noinput --verbosity 0 && python manage.py compile_translations"

RUN useradd --create-home app && mkdir -p /app/media /app/backups && chown app /app/media /app/backups
USER app
EXPOSE 8000
CMD ["gunicorn", "core.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
