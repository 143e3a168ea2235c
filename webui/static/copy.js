// undocs: the "复制" buttons next to citations. Without this file the citation is plain text to select.
"use strict";
(function () {
  function selectText(source) {
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try { return document.execCommand("copy"); } catch (e) { return false; }
  }
  function copied(button) {
    var label = button.textContent;
    button.textContent = "已复制";
    button.classList.add("done");
    window.setTimeout(function () { button.textContent = label; button.classList.remove("done"); }, 2000);
  }
  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) { return; }
    var text = source.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () { copied(button); }, function () {
        if (selectText(source)) { copied(button); }
      });
    } else if (selectText(source)) {
      copied(button);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button.copy[data-copy]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  });
})();
