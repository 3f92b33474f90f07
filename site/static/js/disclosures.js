// On a small screen, filter panels start folded so that results come first. Without
// JavaScript they stay open, after the results on the search page: nothing is hidden.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 50rem)").matches) {
    return;
  }
  document.querySelectorAll("details[data-fold-on-small]").forEach(function (panel) {
    panel.open = false;
  });
})();
