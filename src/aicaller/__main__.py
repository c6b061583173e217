"""``python -m aicaller`` runs the CLI."""

from aicaller.cli import app

app(prog_name="aicaller")
