// The test call page's microphone: WS /api/v1/calls/{id}/audio, 16 kHz 16-bit mono PCM both
// ways (voice/browser_serializer.py). The socket is authenticated by the session cookie the
// browser sends with it (same origin only). The agent's audio is queued for playback in
// order; each "mark" the server sends is echoed once the audio before it has played, and
// "clear" (the caller interrupted) drops what is queued. The transcript itself arrives
// through the page's event stream (console.js), as for a typed test call.
"use strict";
var RATE = 16000;

function VoiceCall(panel) {
  this.panel = panel;
  this.button = panel.querySelector("[data-voice-toggle]");
  this.state = panel.querySelector("[data-voice-state]");
  this.socketPath = panel.getAttribute("data-voice-socket");
  this.sources = [];
  this.nextTime = 0;
  this.received = 0;
}

VoiceCall.prototype.show = function (text, name) {
  this.state.textContent = text;
  this.panel.setAttribute("data-voice", name);
};

VoiceCall.prototype.start = async function () {
  var self = this;
  self.button.disabled = true;
  self.show("Asking for the microphone…", "starting");
  try {
    // Echo cancellation keeps the agent's own voice, played on the speakers, from reaching
    // the microphone and interrupting it as if the caller spoke.
    self.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: true }
    });
    self.context = new AudioContext({ sampleRate: RATE });
    await self.context.audioWorklet.addModule("/app/static/pcm-worklet.js");
  } catch (error) {
    self.show("The microphone is not available: " + error.message, "failed");
    self.button.disabled = false;
    return;
  }
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  self.socket = new WebSocket(scheme + location.host + self.socketPath);
  self.socket.binaryType = "arraybuffer";
  self.socket.onopen = function () {
    var input = self.context.createMediaStreamSource(self.stream);
    self.capture = new AudioWorkletNode(self.context, "pcm-capture");
    self.capture.port.onmessage = function (event) {
      if (self.socket.readyState === WebSocket.OPEN) {
        self.socket.send(event.data);
      }
    };
    input.connect(self.capture);
    self.show("Listening: speak as the caller", "open");
    self.button.textContent = "End the spoken call";
    self.button.disabled = false;
  };
  self.socket.onmessage = function (event) {
    if (typeof event.data === "string") {
      self.control(JSON.parse(event.data));
    } else {
      self.play(event.data);
    }
  };
  self.socket.onclose = function (event) {
    self.stop(false);
    self.show(event.code === 1000 ? "The call ended" : "Disconnected: " + (event.reason || event.code), "closed");
  };
};

VoiceCall.prototype.play = function (data) {
  var pcm = new Int16Array(data);
  if (!pcm.length) {
    return;
  }
  this.received += data.byteLength;
  this.panel.setAttribute("data-voice-received", String(this.received));
  var buffer = this.context.createBuffer(1, pcm.length, RATE);
  var samples = buffer.getChannelData(0);
  for (var i = 0; i < pcm.length; i++) {
    samples[i] = pcm[i] / 0x8000;
  }
  var source = this.context.createBufferSource();
  source.buffer = buffer;
  source.connect(this.context.destination);
  this.nextTime = Math.max(this.nextTime, this.context.currentTime);
  source.start(this.nextTime);
  this.nextTime += buffer.duration;
  var sources = this.sources;
  sources.push(source);
  source.onended = function () {
    sources.splice(sources.indexOf(source), 1);
  };
};

VoiceCall.prototype.control = function (message) {
  var self = this;
  if (message.type === "clear") {
    self.sources.slice().forEach(function (source) { source.stop(); });
    self.nextTime = 0;
  } else if (message.type === "mark") {
    var wait = Math.max(0, self.nextTime - self.context.currentTime) * 1000;
    setTimeout(function () {
      if (self.socket.readyState === WebSocket.OPEN) {
        self.socket.send(JSON.stringify({ type: "mark", name: message.name }));
      }
    }, wait);
  }
};

VoiceCall.prototype.stop = function (hangUp) {
  if (hangUp && this.socket && this.socket.readyState === WebSocket.OPEN) {
    this.socket.send(JSON.stringify({ type: "hangup" }));
  }
  if (this.stream) {
    this.stream.getTracks().forEach(function (track) { track.stop(); });
    this.stream = null;
  }
  if (this.capture) {
    this.capture.port.onmessage = null;
    this.capture.disconnect();
    this.capture = null;
  }
  this.button.hidden = true;
};

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-voice-socket]").forEach(function (panel) {
    var call = new VoiceCall(panel);
    call.button.hidden = false;
    call.button.addEventListener("click", function () {
      if (call.socket) {
        call.stop(true);
      } else {
        call.start();
      }
    });
  });
});
