/* The scorecard page: running totals as the officer types, and no keystroke lost to a row swap.
 *
 * Totals follow scorecards/totals.py exactly: a leaf counts min(score, max) (0 when not
 * scored); a group is min(sum of its children, its max); a top-level group counts as base, bonus
 * or deductions by the kind of its leaves (mixed or empty: base); total = base + bonus - deductions.
 * Arithmetic is done in hundredths (scores have two decimals) so 0,1 + 0,2 is 0,3.
 * The server's figures (swapped in out of band after each save) remain the reference.
 */
(function () {
  "use strict";

  var treeElement = document.getElementById("scorecard-tree");
  if (!treeElement) {
    return;
  }
  var tree = JSON.parse(treeElement.textContent);
  var formatElement = document.getElementById("scorecard-format");
  var decimal = formatElement ? JSON.parse(formatElement.textContent).decimal || "," : ",";

  var FAMILY = { points: "base", yes_no: "base", bonus: "bonus", deduction: "deduction" };
  var children = {};
  var byId = {};
  tree.forEach(function (node) {
    node.cents = toCents(node.max);
    byId[node.id] = node;
    var key = node.parent === null ? "root" : String(node.parent);
    (children[key] = children[key] || []).push(node);
  });

  // "7,5", "7.5" or " 7 " -> 750; anything else (empty, "abc") -> null.
  function toCents(text) {
    if (text === null || text === undefined) {
      return null;
    }
    var value = String(text).trim().replace(",", ".");
    if (!/^-?\d+(\.\d{0,2})?$/.test(value) && !/^-?\.\d{1,2}$/.test(value)) {
      return null;
    }
    return Math.round(parseFloat(value) * 100);
  }

  function format(cents) {
    var negative = cents < 0;
    var abs = Math.abs(cents);
    var whole = Math.floor(abs / 100);
    var fraction = String(abs % 100).padStart(2, "0").replace(/0+$/, "");
    return (negative ? "-" : "") + whole + (fraction ? decimal + fraction : "");
  }

  function rowOf(criterionId) {
    return document.querySelector('[data-score-row][data-criterion="' + criterionId + '"]');
  }

  // The value the officer sees for a leaf: what is typed (if it is a number), else what is saved.
  function leafValue(node) {
    var row = rowOf(node.id);
    if (!row) {
      return null;
    }
    var inputs = row.querySelectorAll("[data-score-input]");
    if (inputs.length) {
      var typed = null;
      var seen = false;
      inputs.forEach(function (input) {
        if (input.type === "radio") {
          if (input.checked) {
            typed = toCents(input.value);
            seen = true;
          }
        } else {
          seen = input.value.trim() !== "";
          typed = toCents(input.value);
        }
      });
      // A value outside 0..max is refused by the server: count what is saved instead.
      if (typed !== null && typed >= 0 && typed <= node.cents) {
        return typed;
      }
      if (!seen) {
        return null; // cleared: not scored
      }
    }
    return toCents(row.getAttribute("data-saved-score") || null);
  }

  function familyOf(node) {
    if (node.kind !== "group") {
      return FAMILY[node.kind];
    }
    var families = {};
    (children[String(node.id)] || []).forEach(function (child) {
      families[familyOf(child)] = true;
    });
    var keys = Object.keys(families);
    return keys.length === 1 ? keys[0] : null;
  }

  function recompute() {
    var totals = { base: 0, bonus: 0, deduction: 0, missing: 0 };
    var subtotals = {};

    function walk(node) {
      var subtotal;
      if (node.kind === "group") {
        subtotal = 0;
        (children[String(node.id)] || []).forEach(function (child) {
          subtotal += walk(child);
        });
        subtotal = Math.min(subtotal, node.cents);
        subtotals[node.id] = subtotal;
      } else {
        var value = leafValue(node);
        if (value === null) {
          totals.missing += 1;
          value = 0;
        }
        subtotal = Math.min(value, node.cents);
      }
      return subtotal;
    }

    (children.root || []).forEach(function (top) {
      var subtotal = walk(top);
      var family = familyOf(top);
      if (family === "bonus") {
        totals.bonus += subtotal;
      } else if (family === "deduction") {
        totals.deduction += subtotal;
      } else {
        totals.base += subtotal;
      }
    });

    Object.keys(subtotals).forEach(function (id) {
      var element = document.getElementById("subtotal-" + id);
      if (element) {
        element.textContent = format(subtotals[id]);
      }
    });
    setTotal("base", format(totals.base));
    setTotal("bonus", format(totals.bonus));
    setTotal("deductions", format(totals.deduction));
    setTotal("total", format(totals.base + totals.bonus - totals.deduction));
    setTotal("missing", String(totals.missing));
  }

  function setTotal(name, text) {
    var element = document.querySelector('#scorecard-totals [data-total="' + name + '"]');
    if (element) {
      element.textContent = text;
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target.closest && event.target.closest("[data-score-form]")) {
      recompute();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("[data-score-input]")) {
      recompute();
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
    recompute();
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
  recompute();
})();
