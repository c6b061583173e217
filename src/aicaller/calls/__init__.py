"""Calls: records, transcripts, notes and escalations."""
