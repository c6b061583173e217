"""Users, roles, authentication (JWT login and API keys)."""
