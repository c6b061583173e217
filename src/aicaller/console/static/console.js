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
