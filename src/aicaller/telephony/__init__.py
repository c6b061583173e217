"""Telephony: the carriers calls go through (simulated, Twilio) and Twilio's webhooks."""
