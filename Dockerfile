# nemo-mock in a container: docker build -t nemo-mock . && docker run -p 8000:8000 nemo-mock
FROM python:3.11-slim

# A user of its own: the mock never needs root.
RUN groupadd --system --gid 10001 nemo \
 && useradd --system --uid 10001 --gid nemo --home-dir /app --shell /usr/sbin/nologin nemo

WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY nemo_mock ./nemo_mock
COPY mock_server ./mock_server
COPY contracts ./contracts
COPY client_tests ./client_tests
RUN pip install --no-cache-dir . \
 && mkdir -p /data \
 && chown nemo:nemo /data

ENV NEMO_MOCK_HOST=0.0.0.0 \
    NEMO_MOCK_PORT=8000 \
    NEMO_MOCK_DATA_DIR=/data \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
# Uploads, generated media and renders are written here.
VOLUME ["/data"]
EXPOSE 8000
USER 10001:10001

# The health check follows the configured port (NEMO_MOCK_PORT), not a hard-coded one.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
  CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('NEMO_MOCK_PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/_mock/health', timeout=2).status == 200 else 1)"]
CMD ["nemo-mock", "serve"]
