FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY mock_server ./mock_server
COPY contracts ./contracts
COPY client_tests ./client_tests
RUN pip install --no-cache-dir .
ENV NEMO_MOCK_HOST=0.0.0.0 \
    NEMO_MOCK_PORT=8000 \
    NEMO_MOCK_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/_mock/health', timeout=2).status == 200 else 1)"
CMD ["nemo-mock", "serve"]
