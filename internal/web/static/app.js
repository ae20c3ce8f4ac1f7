// tdkt web UI: small enhancements on top of pages that work without JavaScript.
// - forms (or their submit buttons) with data-confirm ask before an irreversible action;
// - buttons with data-print print the page;
// - nominee rows get a "remove" button (without JavaScript, an empty row is dropped);
// - buttons are disabled while their form is being sent, so a double click sends once;
// - on a narrow screen the main menu folds behind a "Menu" button (without
//   JavaScript it stays unfolded, wrapping onto several rows).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    var by = e.submitter instanceof Element ? e.submitter : null;
    var msg = (by && by.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      e.preventDefault();
      e.stopImmediatePropagation();
      return;
    }
    if (form.method.toLowerCase() === "post" && !form.hasAttribute("hx-post")) {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  }, true);

  document.addEventListener("click", function (e) {
    var t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    if (t.closest("[data-print]")) {
      window.print();
      return;
    }
    var toggle = t.closest(".nav-toggle");
    if (toggle) {
      var nav = toggle.closest(".main-nav");
      var open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    var remove = t.closest("[data-remove-row]");
    if (remove) {
      var row = remove.closest("fieldset.nominee");
      var rows = document.querySelectorAll("#nominee-rows fieldset.nominee");
      if (row && rows.length > 1) {
        var next = row.nextElementSibling || row.previousElementSibling;
        row.remove();
        var focus = next && next.querySelector("input, select, textarea");
        if (focus) focus.focus();
      }
    }
  });

  function enhance(root) {
    root.querySelectorAll("[data-remove-row]").forEach(function (b) { b.hidden = false; });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  // A row added by htmx: show its remove button and move the focus into it.
  document.addEventListener("htmx:after:settle", function (e) {
    var target = e.target instanceof Element ? e.target : document;
    enhance(target);
    if (target.id === "nominee-rows") {
      var last = target.querySelector("fieldset.nominee:last-of-type input[name=nominee_name]");
      if (last) last.focus();
    }
  });
})();
