"""`make bench`: what Dagster adds to a video, measured beside the media work it orchestrates."""
