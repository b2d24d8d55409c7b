# The Panier query API (Flask under gunicorn) and the `panier` admin CLI in one image.
#   docker build -t panier:local .
#   docker run --rm -p 8000:8000 -e PANIER_ES_URL=http://host.docker.internal:9200 \
#     -e PANIER_ES_API_KEY=... panier:local
# Settings come from the environment: PANIER_ES_URL, PANIER_ES_API_KEY, PANIER_ES_USERNAME,
# PANIER_ES_PASSWORD, PANIER_ES_CA_CERTS, PANIER_INDEX_PREFIX, PANIER_API (search, ingest),
# and for `panier kibana import` PANIER_KIBANA_URL (credentials default to the engine's).
# docker-compose.yml runs the same image three ways: `setup` (one shot), `api` and `ingest`.

# Build a wheel in a throwaway stage so the source tree and build tools stay out of the image.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY . .
RUN pip wheel --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=build /wheels /wheels
# /var/lib/panier belongs to the unprivileged user so that a named volume mounted there (the API
# keys `setup` writes, docker-compose.yml) starts out writable by it: Docker copies the image
# directory's ownership into a new volume.
RUN pip install /wheels/*.whl && rm -rf /wheels \
    && useradd --create-home --uid 10001 panier \
    && mkdir -p /var/lib/panier && chown panier /var/lib/panier && chmod 700 /var/lib/panier
USER panier
WORKDIR /home/panier
EXPOSE 8000
CMD ["panier", "serve", "--host", "0.0.0.0", "--port", "8000"]
