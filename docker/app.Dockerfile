# The reference apps (python -m app.<product>) and the databases job
# (python -m harness.prepare_databases) of docker-compose.yml; build context: the repository.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/suite

# Dependencies first, so that a change of code does not reinstall them
COPY constraints.txt docker/requirements-app.txt ./docker/
RUN pip install -c docker/constraints.txt -r docker/requirements-app.txt

# Only what the apps and the databases job import or read; .dockerignore keeps caches out
COPY app/ app/
COPY base/ base/
COPY harness/ harness/
COPY products/ products/
COPY spanner/ spanner/
COPY fixtures/common/ fixtures/common/

RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin suite
USER suite

EXPOSE 8000
CMD ["python", "-m", "app.saas", "--host", "0.0.0.0", "--port", "8000"]
