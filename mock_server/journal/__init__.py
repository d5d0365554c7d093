"""The request journal: every exchange on the NemoVideo surface, secrets fingerprinted."""
