"""The run's moving parts that are not Spanner: settings, the app under test, mail, browser."""
