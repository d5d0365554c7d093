"""Prompts the suite gives clients when what a test judges is the client, not the video."""

#: A short, small video: the scenarios' own prompt asks for 10 s at 1080p, about five times
#: the rendering for the same verdicts on a client's behaviour. (The videos themselves are
#: judged by tests/test_seed_*.py and tests/render/, at the sizes users ask for.)
QUICK_PROMPT = "turn my photos into a 2-second 480p video slideshow with transitions and music"
