// The console's own script: no inline scripts anywhere (the CSP forbids them).
// htmx requests that change something carry the page's CSRF token as a header.
"use strict";
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRF-Token"] = meta.getAttribute("content");
  }
});
