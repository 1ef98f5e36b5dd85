"""The SQL behind the steps several products share (steps/shared/)."""
