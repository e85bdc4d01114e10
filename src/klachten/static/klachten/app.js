/* Kerngroep Klachten: the little the staff pages do in the browser. No inline script: every
   page works without this file; it only folds the main menu on a phone and closes open menus. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(run) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run);
    } else {
      run();
    }
  }

  ready(function () {
    // The main menu behind a button on a small screen (CSS shows the button there only).
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("app-menu");
    if (toggle && menu) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        menu.classList.toggle("open", open);
      });
    }
    // The overview's poll skips a tab nobody looks at (a trigger filter would need eval,
    // which the Content Security Policy forbids).
    document.addEventListener("htmx:beforeRequest", function (event) {
      if (document.visibilityState !== "visible" && event.detail.elt.id === "overzicht") {
        event.preventDefault();
      }
    });
    // "Nog een regel" on the action plan: a copy of the empty line, numbered for the formset
    // (no page reload); the new date field gets its live check (htmx).
    var addRow = document.getElementById("add-action-row");
    var total = document.getElementById("id_acties-TOTAL_FORMS");
    var most = document.getElementById("id_acties-MAX_NUM_FORMS");
    if (addRow && total && most) {
      addRow.hidden = false;
      addRow.addEventListener("click", function () {
        var index = Number(total.value);
        if (index >= Number(most.value)) {
          return;
        }
        var html = document.getElementById("action-row-template").innerHTML.replaceAll("__prefix__", index);
        var rows = document.getElementById("action-rows");
        rows.insertAdjacentHTML("beforeend", html);
        if (window.htmx) {
          window.htmx.process(rows.lastElementChild);
        }
        total.value = index + 1;
        document.getElementById("id_acties-" + index + "-what").focus();
      });
    }
    // One click applies a suggestion of the wording check (R13) to the field it belongs to,
    // replacing exactly the flagged span, and checks again. Offsets count characters (code
    // points), as the server does, not UTF-16 units.
    document.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-suggestion]");
      if (!button) {
        return;
      }
      var area = document.getElementById(button.dataset.for || "id_text");
      if (!area) {
        return;
      }
      var start = Number(button.dataset.start);
      var end = Number(button.dataset.end);
      var chars = Array.from(area.value);
      area.value = chars.slice(0, start).join("") + button.dataset.suggestion + chars.slice(end).join("");
      area.focus();
      area.dispatchEvent(new Event("input", { bubbles: true }));
    });
    // R12: "Ik heb de waarschuwing gelezen" shows only while the text has a warning. The server
    // decides on every page; while typing, the live check (htmx) decides after each swap.
    document.body.addEventListener("htmx:afterSwap", function () {
      var box = document.getElementById("bevestiging");
      if (!box) {
        return;
      }
      var warned = document.querySelector(".wording-check .finding.warning") !== null;
      box.hidden = !warned && box.querySelector(".error") === null;
    });
    // Menus made of <details> close on Escape and on a click elsewhere, as menus do.
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.menu[open], details.user-menu[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) {
          menu.removeAttribute("open");
        }
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      document.querySelectorAll("details.menu[open], details.user-menu[open]").forEach(function (menu) {
        menu.removeAttribute("open");
        var summary = menu.querySelector("summary");
        if (summary) {
          summary.focus();
        }
      });
    });
  });
})();
