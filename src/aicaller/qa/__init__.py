"""QA: weighted scorecards and evaluations of calls against them, by the AI and by people."""
