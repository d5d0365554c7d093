"""Every knob of a running mock; each flag of ``nemo-mock serve`` maps to a field here
and to an environment variable ``NEMO_MOCK_<FIELD>``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from nemo_mock.mock_server.domain.backend import BackendConfig
from nemo_mock.mock_server.domain.eras import DEFAULT_ERA, RenderShape, UnknownEra, era_named
from nemo_mock.mock_server.domain.renders import Quality
from nemo_mock.mock_server.domain.tokens import TokenPolicy

ErrorStyle = Literal["http", "envelope"]
#: uvicorn's HTTP parser under the mock (``edge/protocol.py``): ``auto`` is httptools when it
#: is installed, else h11.
HttpParser = Literal["auto", "httptools", "h11"]
__all__ = ["ErrorStyle", "HttpParser", "RenderShape", "Settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEMO_MOCK_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    seed: int = 0
    initial_credits: int = Field(default=100, ge=0)
    max_upload_mb: float = Field(default=500, gt=0)
    #: Parts (files and fields) one multipart upload may have: 400 above, while reading.
    max_upload_parts: int = Field(default=20, ge=1, le=1000)
    token_ttl_days: float = Field(default=7, gt=0, le=36_500)
    error_style: ErrorStyle = "http"
    data_dir: Path | None = None
    #: Where the agent's synthesised clips and voiceovers are kept by what made them
    #: (``media/synthesis_cache.py``; default ``<data dir>/generated/.cache``). Mocks or runs
    #: given the same folder make each identical clip once (a CI cache, a test session).
    synthesis_cache: Path | None = None
    #: Keep the state in ``data_dir/state.sqlite3`` (written through as requests are
    #: answered, restored at start). ``nemo-mock serve --data-dir`` turns it on.
    persist: bool = False
    ip_token_limit: int = Field(default=10, ge=0, description="0 means unlimited")
    ip_token_window_days: float = Field(default=7, gt=0, le=36_500)
    url_fetch_timeout: float = Field(default=30, gt=0)
    ffmpeg: str = "bundled"
    web_url: str = "https://nemovideo.com"
    public_url: str | None = None
    time_scale: float = Field(default=0.01, ge=0, le=10)
    silent_rate: float = Field(default=0.3, ge=0, le=1)
    temp_issue_rate: float = Field(default=0.05, ge=0, le=1)
    heartbeat_interval: float = Field(default=10, gt=0)
    stream_limit_seconds: float = Field(default=900, gt=0)
    render_workers: int = Field(default=1, ge=1, le=16)
    render_shape: RenderShape = "union"
    render_timeout: float = Field(default=900, gt=0)
    #: Encode every render at most at this quality, whatever the client asked (the job
    #: still reports what was asked): quicker renders in CI.
    render_quality_cap: Quality | None = None
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"
    journal_size: int = Field(default=10_000, ge=1, le=1_000_000)
    journal_max_mb: float = Field(default=64, gt=0, le=65_536)
    journal_max_events: int = Field(default=1000, ge=2, le=1_000_000)
    control: bool = True
    #: One console line per journaled request (``serve`` turns it on by default).
    access_log: bool = False
    #: FastAPI's native OpenTelemetry: spans, metrics and logs to the globally configured
    #: providers. Off, the framework does not look for them on every request (issue 18).
    otel: bool = False
    #: With it, /_mock (but health and docs), the journal and X-Mock-Fault need the
    #: ``X-Mock-Control-Token`` header; the NemoVideo surfaces stay open.
    control_token: SecretStr | None = None
    #: Comma-separated addresses/networks whose X-Forwarded-For/-Proto are believed
    #: (``*`` for any); none by default, so a client cannot pose as another IP.
    forwarded_allow_ips: str = ""
    #: Largest request body that is not multipart (JSON), in KiB: 413 above, refused early.
    max_json_kb: int = Field(default=1024, ge=1, le=1024 * 1024)
    #: The HTTP parser connections are read with; the limits below hold on either.
    http: HttpParser = "auto"
    #: Seconds a client has to send its request line and headers.
    header_timeout: float = Field(default=10, gt=0)
    #: Longest wait for the next chunk of a request body, and the grace before min rate.
    body_idle_timeout: float = Field(default=30, gt=0)
    #: Slowest average a request body may come at after the grace, bytes/s; 0 = any.
    body_min_rate: float = Field(default=1024, ge=0)
    #: Uploads one user may have running at once (429 above).
    max_uploads_per_client: int = Field(default=4, ge=1, le=1000)
    #: The era (``nemo_mock.mock_server.domain.eras``) requests are answered in, unless a
    #: scenario or the ``X-Mock-Era`` header chooses another.
    era: str = DEFAULT_ERA
    scenario_dir: Path | None = None
    #: A snapshot file (``nemo-mock snapshot export``) whose state and files the mock starts
    #: from; start-up scenarios and faults are armed on top of it.
    from_snapshot: Path | None = None
    #: A ``check-client --report`` folder (or a folder of them) the dashboard's Reports page
    #: shows.
    report_dir: Path | None = None
    #: Scenarios (names or files) and fault specs armed at start-up.
    scenarios: list[str] = Field(default_factory=list)
    faults: list[str] = Field(default_factory=list)

    @field_validator("data_dir")
    @classmethod
    def _a_folder(cls, value: Path | None) -> Path | None:
        if value is not None and value.exists() and not value.is_dir():
            raise ValueError(f"{value} exists and is not a folder: give a folder (made if absent)")
        return value

    @field_validator("era")
    @classmethod
    def _known_era(cls, value: str) -> str:
        try:
            return era_named(value).name
        except UnknownEra as exc:
            raise ValueError(str(exc)) from None

    @field_validator("from_snapshot")
    @classmethod
    def _a_file(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"{value} is not a file: give a snapshot file to start from")
        return value

    @property
    def max_json_bytes(self) -> int:
        return self.max_json_kb * 1024

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    def backend_config(self) -> BackendConfig:
        return BackendConfig(
            initial_credits=self.initial_credits,
            tokens=TokenPolicy(
                ttl=timedelta(days=self.token_ttl_days),
                ip_limit=self.ip_token_limit,
                ip_window=timedelta(days=self.ip_token_window_days),
            ),
            web_url=self.web_url,
        )
