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
