/* The scorecard page: totals that follow the officer's typing, and no keystroke lost to a row swap.
 *
 * The server computes every total (scorecards/totals.py). A save's answer brings the totals and
 * group subtotals out of band; while the officer types, the same blocks are asked for again with
 * the values typed and not saved yet (views.scoring.scorecard_totals), so nothing is added up here.
 */
(function () {
  "use strict";

  if (!document.querySelector("[data-scorecard]")) {
    return;
  }

  // ---- Totals as typed --------------------------------------------------------------------

  var asked = 0; // totals asked for, and rows answered: only the latest answer is shown
  var timer = null;

  // c<criterion id>=<text> for each score typed and not saved (it differs from the row as the
  // server rendered it).
  function typedQuery() {
    var query = new URLSearchParams();
    document.querySelectorAll("[data-score-form]").forEach(function (form) {
      var baseline = baselines.get(form);
      var now = snapshot(form);
      var row = form.closest("[data-score-row]");
      if (baseline && row && now.self_score !== baseline.self_score) {
        query.append("c" + row.getAttribute("data-criterion"), now.self_score);
      }
    });
    return query;
  }

  function anyTyped() {
    return typedQuery().toString() !== "";
  }

  // Put the answer's out-of-band blocks (the totals, each group subtotal) in place of those with
  // their id, as htmx does with a save's answer.
  function show(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    template.content.querySelectorAll("[hx-swap-oob][id]").forEach(function (element) {
      var current = document.getElementById(element.id);
      if (current) {
        element.removeAttribute("hx-swap-oob");
        current.replaceWith(element);
      }
    });
  }

  function askTotals() {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var totals = document.getElementById("scorecard-totals");
      var url = totals && totals.getAttribute("data-typed-url");
      if (!url) {
        return;
      }
      var ticket = ++asked;
      fetch(url + "?" + typedQuery().toString(), {
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
      })
        .then(function (response) {
          // Refused, or sent to the sign-in page: the totals shown stay.
          return response.ok && !response.redirected ? response.text() : null;
        })
        .then(function (html) {
          if (html !== null && ticket === asked) {
            show(html);
          }
        })
        .catch(function () {}); // the next save brings the totals anyway
    }, 200);
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    // A yes/no choice saves at once, and the save's answer brings the totals.
    if (target.matches && target.matches("[data-score-input]") && target.type !== "radio") {
      askTotals();
    }
  });

  // ---- Nothing typed is lost -------------------------------------------------------------
  // A row is replaced by the server's answer. If the officer typed in it while the request was
  // under way, put what they typed back into the new row and save again (with its new revision).

  function snapshot(form) {
    var values = {};
    form.querySelectorAll("[data-score-input], [data-explanation]").forEach(function (input) {
      if (input.type === "radio") {
        if (input.checked) {
          values.self_score = input.value;
        } else if (!("self_score" in values)) {
          values.self_score = "";
        }
      } else {
        values[input.name] = input.value;
      }
    });
    return values;
  }

  function restore(form, values) {
    form.querySelectorAll("[data-score-input], [data-explanation]").forEach(function (input) {
      if (input.type === "radio") {
        input.checked = input.value === values.self_score;
      } else if (input.name in values) {
        input.value = values[input.name];
      }
    });
  }

  function same(a, b) {
    return a.self_score === b.self_score && a.explanation === b.explanation;
  }

  var baselines = new WeakMap(); // score form -> values as the server rendered them

  function remember(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-score-form]").forEach(
      function (form) {
        baselines.set(form, snapshot(form));
      }
    );
    if (root.matches && root.matches("[data-score-form]")) {
      baselines.set(root, snapshot(root));
    }
  }

  var pending = {}; // row id -> values typed when its answer arrived

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.matches || !target.matches("[data-score-row]")) {
      return;
    }
    var verb = event.detail.requestConfig && event.detail.requestConfig.verb;
    if (verb === "get") {
      delete pending[target.id]; // "take theirs": the server's values win
      return;
    }
    var form = target.querySelector("[data-score-form]");
    if (form && baselines.has(form)) {
      var now = snapshot(form);
      if (!same(now, baselines.get(form))) {
        var active = document.activeElement;
        var caret = null;
        if (active && active.id && form.contains(active) && typeof active.selectionStart === "number") {
          caret = { id: active.id, start: active.selectionStart, end: active.selectionEnd };
        }
        pending[target.id] = { values: now, caret: caret };
      }
    }
  });

  // Right after the swap, before the browser handles another keystroke (the settle comes later).
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var row = event.detail.target;
    if (!row || !row.id) {
      return;
    }
    asked += 1; // the answer's totals are newer than any asked for before it
    row = document.getElementById(row.id);
    var form = row && row.querySelector("[data-score-form]");
    var stash = pending[row ? row.id : ""];
    if (form) {
      baselines.set(form, snapshot(form));
    }
    if (!stash) {
      return;
    }
    delete pending[row.id];
    if (!form || same(snapshot(form), stash.values)) {
      return; // the answer already holds what was typed
    }
    restore(form, stash.values);
    var caret = stash.caret;
    var field = caret && document.getElementById(caret.id);
    if (field && field === document.activeElement) {
      field.setSelectionRange(caret.start, caret.end); // where the officer was typing
    }
    resend.push(row.id);
  });

  // Save what was typed in flight, over the revision the answer brought (htmx wires the new
  // row's triggers during the settle, so not before).
  var resend = [];
  document.body.addEventListener("htmx:afterSettle", function () {
    resend.splice(0).forEach(function (rowId) {
      var form = document.querySelector("#" + rowId + " [data-score-form]");
      if (form) {
        htmx.trigger(form, "change");
      }
    });
    if (anyTyped()) {
      askTotals(); // the answer counted what is saved: count what is still typed elsewhere
    }
  });

  // A save that fails (server error, lost connection) is said in the row and tried again; what
  // was typed stays in the fields. The words come from the page (translated there).
  var container = document.getElementById("criteria");
  var attempts = new WeakMap();
  function failed(event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    var row = form && form.closest("[data-score-row]");
    if (!row || !container) {
      return;
    }
    var status = row.querySelector("[data-save-status]");
    var tries = (attempts.get(form) || 0) + 1;
    attempts.set(form, tries);
    var retry = form.hasAttribute("data-score-form") && tries <= 3;
    if (status) {
      status.textContent = container.getAttribute(retry ? "data-save-retrying" : "data-save-failed");
      status.classList.remove("text-success-emphasis");
      status.classList.add("text-danger");
    }
    if (retry) {
      window.setTimeout(function () {
        if (document.body.contains(form)) {
          htmx.trigger(form, "change");
        }
      }, 1500 * tries);
    }
  }
  document.body.addEventListener("htmx:responseError", failed);
  document.body.addEventListener("htmx:sendError", failed);

  // Leaving with a change not saved yet: ask first (the browser shows its own wording).
  window.addEventListener("beforeunload", function (event) {
    var unsaved = false;
    document.querySelectorAll("[data-score-form]").forEach(function (form) {
      if (baselines.has(form) && !same(baselines.get(form), snapshot(form))) {
        unsaved = true;
      }
    });
    if (unsaved || document.querySelector(".htmx-request")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  remember(document);
})();
