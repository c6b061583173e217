"""HTTP routes of the conversation engine: web test calls and the live call socket."""
