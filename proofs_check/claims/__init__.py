"""One module per registered claim; each exposes ``check(profile, seed, variant=None)``."""
