"""nemo-mock: a local, offline twin of the NemoVideo API."""

__version__ = "0.1.0"
