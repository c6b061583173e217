"""The voice WebSockets: Twilio Media Streams (and browser audio)."""
