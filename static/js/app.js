/* Project JavaScript. Templates carry no inline script (strict CSP): behaviour hangs on data- attributes. */
(function () {
  "use strict";

  // <select data-autosubmit> submits its form on change (the language switch; a <noscript> button covers no-JS).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!(el instanceof HTMLSelectElement) || !el.hasAttribute("data-autosubmit") || !el.form) {
      return;
    }
    if (typeof el.form.requestSubmit === "function") {
      el.form.requestSubmit();
    } else {
      el.form.submit();
    }
  });

  // <button data-copy="text" data-copied="label"> copies the text (a file's SHA-256) and says so.
  document.addEventListener("click", function (event) {
    var el = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
    if (!el || !navigator.clipboard) {
      return;
    }
    navigator.clipboard.writeText(el.getAttribute("data-copy")).then(function () {
      el.textContent = el.getAttribute("data-copied") || el.textContent;
    });
  });

  // <button data-print> prints the page (a ranking, a key share).
  document.addEventListener("click", function (event) {
    var el = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (el) {
      event.preventDefault();
      window.print();
    }
  });
})();
