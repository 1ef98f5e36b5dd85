"""Screens every reference app shares: the sign-in page, and what the shared security steps
read from any page (steps/shared/)."""
