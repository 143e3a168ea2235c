// undocs: small conveniences only; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("q");
  // "/" focuses the search box (unless typing in a field already).
  document.addEventListener("keydown", function (event) {
    var tag = (event.target && event.target.tagName) || "";
    if (event.key === "/" && box && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag)) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
  // Empty fields stay out of the URL, so shared links are short.
  var form = document.querySelector("form.search-form");
  if (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.name && !el.value) { el.disabled = true; }
      });
    });
  }
});
window.addEventListener("pageshow", function () {
  // Back button: re-enable fields disabled on submit.
  Array.prototype.forEach.call(document.querySelectorAll("form.search-form [disabled]"), function (el) {
    el.disabled = false;
  });
});
