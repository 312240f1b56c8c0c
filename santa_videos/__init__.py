"""santa-videos: personalized Santa Claus videos, from order to delivered MP4, orchestrated with Dagster."""
