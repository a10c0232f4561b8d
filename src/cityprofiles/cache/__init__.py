"""The build cache: what the last build made of which inputs, so the next one redoes only
what changed. Data, never code."""
