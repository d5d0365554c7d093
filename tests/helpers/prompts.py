"""Prompts and mock settings the suite gives clients when what a test judges is the client,
not the video."""

import os

#: A short, small video: the scenarios' own prompt asks for 10 s at 1080p, about five times
#: the rendering for the same verdicts on a client's behaviour. (The videos themselves are
#: judged by tests/test_seed_*.py and tests/render/, at the sizes users ask for.)
QUICK_PROMPT = "turn my photos into a 2-second 480p video slideshow with transitions and music"

#: What such tests' mocks get in their environment: every render encoded at the quickest
#: quality (``--render-quality-cap low``, ultrafast: a third less CPU a render), at the size
#: and length asked.
QUICK_RENDERS = {"NEMO_MOCK_RENDER_QUALITY_CAP": "low"}


def quick_env(**more: str) -> dict[str, str]:
    """This process's environment with ``QUICK_RENDERS`` (for a mock, or a command that
    starts mocks)."""
    return {**os.environ, **QUICK_RENDERS, **more}
