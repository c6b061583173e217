"""Speech engines for the pipeline: the offline recogniser and voice, and hosted providers."""
