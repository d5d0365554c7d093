"""The task and the settings of one run: command-line options over environment variables."""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from nemo_mock.client_tests.reference_client.errors import ClientError

SKILL_SOURCE = "nemo-video-cli"
SKILL_VERSION = "0.1.0"
DEFAULT_PLATFORM = "terminal"


class UsageError(ClientError):
    """A missing or malformed option (exit 1, never 2: 2 means a documented refusal)."""


@dataclass(frozen=True)
class Task:
    prompt: str
    files: tuple[Path, ...]
    output: Path
    #: Every documented wait is multiplied by it (1 = real timing).
    time_scale: float = 1.0

    def wait(self, seconds: float) -> float:
        """A documented wait, scaled."""
        return seconds * self.time_scale


@dataclass(frozen=True)
class Settings:
    api_url: str
    #: ``NEMO_TOKEN``: used instead of an anonymous token when set.
    token: str | None
    #: ``NEMO_CLIENT_ID``, else a new UUID4 for this run (never written anywhere).
    client_id: str
    attribution: Mapping[str, str]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def parser(prog: str) -> argparse.ArgumentParser:
    p = _Parser(prog=prog, description="Make a video with the NemoVideo API and export it.")
    p.add_argument("--prompt", help="the chat message (env NEMO_CHECK_PROMPT)")
    p.add_argument("--files", help="colon-separated files to upload (env NEMO_CHECK_FILES)")
    p.add_argument("--output", help="where to write the MP4 (env NEMO_CHECK_OUTPUT)")
    p.add_argument("--time-scale", help="multiply documented waits (env NEMO_CHECK_TIME_SCALE)")
    return p


def read_task(argv: Sequence[str], env: Mapping[str, str], prog: str) -> Task:
    args = parser(prog).parse_args(list(argv))
    prompt = _pick(args.prompt, env, "NEMO_CHECK_PROMPT")
    output = _pick(args.output, env, "NEMO_CHECK_OUTPUT")
    if not prompt or not prompt.strip():
        raise UsageError("no prompt: pass --prompt or set NEMO_CHECK_PROMPT")
    if not output:
        raise UsageError("no output path: pass --output or set NEMO_CHECK_OUTPUT")
    files_text = _pick(args.files, env, "NEMO_CHECK_FILES") or ""
    files = tuple(Path(part) for part in files_text.split(":") if part.strip())
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(missing)}")
    scale_text = _pick(args.time_scale, env, "NEMO_CHECK_TIME_SCALE") or "1"
    try:
        scale = float(scale_text)
    except ValueError:
        raise UsageError(f"the time scale {scale_text!r} is not a number") from None
    if not scale >= 0:  # also refuses NaN
        raise UsageError(f"the time scale must be 0 or more, not {scale_text}")
    return Task(prompt=prompt, files=files, output=Path(output), time_scale=scale)


def read_settings(env: Mapping[str, str], *, source: str = SKILL_SOURCE) -> Settings:
    api_url = (env.get("NEMO_API_URL") or "").strip().rstrip("/")
    if not api_url:
        raise UsageError("NEMO_API_URL is not set")
    token = (env.get("NEMO_TOKEN") or "").strip() or None
    client_id = (env.get("NEMO_CLIENT_ID") or "").strip() or str(uuid.uuid4())
    # §1: SKILL_SOURCE overrides the platform attribution (otherwise "detected": a terminal).
    platform = (env.get("SKILL_SOURCE") or "").strip() or DEFAULT_PLATFORM
    attribution = {
        "X-Skill-Source": source,
        "X-Skill-Version": SKILL_VERSION,
        "X-Skill-Platform": platform,
    }
    return Settings(api_url=api_url, token=token, client_id=client_id, attribution=attribution)


def _pick(option: str | None, env: Mapping[str, str], name: str) -> str | None:
    return option if option is not None else env.get(name)


def environ() -> Mapping[str, str]:
    return os.environ
