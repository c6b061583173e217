"""HTTP glue: routers, dependencies, error rendering and middleware."""
