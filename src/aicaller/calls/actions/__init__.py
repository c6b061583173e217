"""Call actions that reach the carrier: place, end and transfer a call."""
