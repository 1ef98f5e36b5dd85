"""Page objects: the selectors and clicks of each screen of the app, and nothing else."""
