"""Stage 2, validate: loaded data -> the typed, cross-referenced site, collecting every problem."""
