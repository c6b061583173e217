"""Knowledge gaps: questions callers asked that the agent could not answer."""
