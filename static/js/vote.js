/* The voting page: a live "chosen 2/2" counter and, on strike-out ballots, names struck
   through as they are unticked. The server checks the ballot again; this only helps.
   Strings come from the json_script element "vote-strings". */
(function () {
  "use strict";

  // A card's QR code opens this page with "#code=..." in the fragment, which never reaches
  // the server: copy it into the code field, then drop it from the address bar and history.
  var match = /^#code=([A-Za-z0-9-]+)$/.exec(window.location.hash);
  var codeField = document.querySelector('input[name="code"]');
  if (match && codeField && !codeField.value) {
    codeField.value = match[1];
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }

  var ballot = document.querySelector("[data-ballot]");
  var stringsEl = document.getElementById("vote-strings");
  if (!ballot || !stringsEl) {
    return;
  }
  var strings = JSON.parse(stringsEl.textContent);
  var kind = ballot.getAttribute("data-kind");
  var limit = parseInt(ballot.getAttribute("data-limit"), 10);
  var counter = ballot.querySelector("[data-counter]");

  function count() {
    if (kind === "yes_no") {
      return ballot.querySelectorAll('input[type="radio"][value="for"]:checked').length;
    }
    return ballot.querySelectorAll('input[name="option"]:checked').length;
  }

  function update() {
    if (kind === "strike_out") {
      ballot.querySelectorAll('input[name="option"]').forEach(function (box) {
        var name = box.parentElement.querySelector("[data-name]");
        if (name) {
          name.classList.toggle("text-decoration-line-through", !box.checked);
          name.classList.toggle("text-body-secondary", !box.checked);
        }
      });
    }
    if (!counter) {
      return;
    }
    var n = count();
    counter.textContent = strings.counter
      .replace("%(count)s", String(n))
      .replace("%(limit)s", String(limit));
    counter.classList.toggle("text-danger", n > limit);
    counter.classList.toggle("text-success", n === limit);
  }

  ballot.addEventListener("change", update);
  update();
})();
