# Taksi application image: GeoDjango + pygeoapi served by gunicorn.
# Used by docker-compose.yml (service "app"); the database is the separate
# postgis/postgis service.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# GeoDjango loads GDAL, GEOS and PROJ through ctypes (Debian 12: GDAL 3.6).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gdal-bin libgdal32 libgeos-c1v5 libproj25 postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so that code changes do not reinstall them. Only the
# runtime dependencies (no dev extra), pinned by constraints.txt.
COPY pyproject.toml constraints.txt ./
RUN pip install -c constraints.txt . && rm -rf build ./*.egg-info

COPY . .

RUN useradd --system --user-group --home-dir /app --no-create-home taksi \
    && mkdir -p /app/staticfiles /app/rasters \
    && chown taksi:taksi /app/staticfiles /app/rasters
USER taksi

ENV HOST=0.0.0.0 \
    PORT=8000 \
    TAKSI_RASTER_DIR=/app/rasters
EXPOSE 8000

# Same steps as `make run`: migrate, load the Kupang data (idempotent),
# build the rasters from it, collect static files, then serve (gunicorn's
# workers, threads and limits: spatial/gunicorn_conf.py).
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_kupang && python manage.py build_rasters && python manage.py collectstatic --noinput && exec gunicorn spatial.wsgi:application --config python:spatial.gunicorn_conf --bind 0.0.0.0:8000 --access-logfile -"]
