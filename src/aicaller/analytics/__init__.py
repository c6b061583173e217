"""Analytics and exports: SQL aggregates in the business timezone, cached per tenant."""
