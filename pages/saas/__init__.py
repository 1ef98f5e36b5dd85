"""Page objects of the SaaS platform, and its usage API client."""
