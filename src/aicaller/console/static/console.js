// The console's own script: no inline scripts anywhere (the CSP forbids them).
// htmx requests that change something carry the page's CSRF token as a header.
"use strict";
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  }
});

// Upload progress: a form with data-progress="<id>" fills that <progress> as htmx sends it.
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest ? event.target.closest("form[data-progress]") : null;
  if (!form || !event.detail.lengthComputable) {
    return;
  }
  var bar = document.getElementById(form.getAttribute("data-progress"));
  if (bar) {
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
    bar.textContent = bar.value + "%";
  }
});

// Live transcripts: an <ol data-live-events="url"> follows a call's server-sent events. Text
// goes in with textContent only, so nothing a caller says can become markup.
function addTurn(list, turn) {
  var last = Number(list.getAttribute("data-last-sequence") || "-1");
  if (turn.sequence <= last) {
    return;
  }
  list.setAttribute("data-last-sequence", String(turn.sequence));
  var item = document.createElement("li");
  item.className = "turn " + turn.speaker;
  var meta = document.createElement("div");
  meta.className = "meta";
  var who = document.createElement("strong");
  who.textContent = turn.speaker;
  meta.appendChild(who);
  if (turn.intent) {
    var tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = turn.intent;
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(tag);
  }
  var text = document.createElement("p");
  text.className = "prewrap";
  text.textContent = turn.text;
  item.appendChild(meta);
  item.appendChild(text);
  if (turn.sources && turn.sources.length) {
    var sources = document.createElement("ul");
    sources.className = "sources";
    turn.sources.forEach(function (source) {
      var entry = document.createElement("li");
      entry.textContent = source;
      sources.appendChild(entry);
    });
    item.appendChild(sources);
  }
  list.appendChild(item);
}

function followLive(list) {
  var status = list.parentNode.querySelector("[data-live-status]");
  var source = new EventSource(list.getAttribute("data-live-events"));
  source.onmessage = function (event) {
    var message = JSON.parse(event.data);
    if (message.type === "turn") {
      addTurn(list, message);
    } else if (message.type === "call") {
      if (status) {
        status.textContent = message.status === "in_progress" ? "live" : "ended (" + message.status + ")";
      }
      if (message.status !== "in_progress") {
        source.close();
      }
    }
  };
}

document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-live-events]").forEach(followLive);
});

// A form marked data-reset-after empties itself once htmx has sent it successfully.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  if (form.hasAttribute && form.hasAttribute("data-reset-after") && event.detail.successful) {
    form.reset();
  }
});
