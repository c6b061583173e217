"""The console's pages, one module per area, mounted by ``routes.router``."""
