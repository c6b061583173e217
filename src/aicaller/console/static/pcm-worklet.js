// The microphone's AudioWorklet: the context runs at 16 kHz (the browser resamples the
// microphone to it), and this turns each 128-sample block into 16-bit PCM, posting 20 ms
// (320 samples) at a time to the page, which sends them on the call's socket.
"use strict";
class PcmCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buffer = new Int16Array(320);
    this.filled = 0;
  }

  process(inputs) {
    var channel = inputs[0] && inputs[0][0];
    if (!channel) {
      return true;
    }
    for (var i = 0; i < channel.length; i++) {
      var sample = Math.max(-1, Math.min(1, channel[i]));
      this.buffer[this.filled++] = sample < 0 ? sample * 0x8000 : sample * 0x7fff;
      if (this.filled === this.buffer.length) {
        this.port.postMessage(this.buffer.buffer, [this.buffer.buffer]);
        this.buffer = new Int16Array(320);
        this.filled = 0;
      }
    }
    return true;
  }
}
registerProcessor("pcm-capture", PcmCapture);
