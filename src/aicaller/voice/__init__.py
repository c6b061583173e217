"""Real-time voice: streamed phone calls and browser audio on a Pipecat pipeline."""
