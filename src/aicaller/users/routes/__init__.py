"""HTTP routes for auth, users and API keys."""
