/* The annual report download on the dashboard: while the server builds the PDF (a few
   seconds), the button shows it is busy and a status line says so, for eyes and for screen
   readers; when the file arrives it is saved as the plain form would have saved it.

   No inline script (Content Security Policy). Without this file the form is an ordinary GET
   form whose answer is a download: nothing depends on it. */
(function () {
  "use strict";

  function fileName(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename="([^"]+)"/.exec(header);
    return match ? match[1] : fallback;
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  function setUp(form) {
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-report-status]");
    if (!button || !status || !window.fetch || !window.URL || !URL.createObjectURL) {
      return;
    }
    var label = button.textContent;
    var busy = false;

    function finish(message) {
      busy = false;
      button.removeAttribute("aria-busy");
      button.removeAttribute("aria-disabled");
      button.textContent = label;
      status.textContent = message;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) {
        return;
      }
      var data = new FormData(form);
      var format = String(data.get("formaat") || "pdf");
      var query = new URLSearchParams(data).toString();
      var url = form.action + (form.action.indexOf("?") < 0 ? "?" : "&") + query;
      busy = true;
      button.setAttribute("aria-busy", "true");
      button.setAttribute("aria-disabled", "true");
      var message = form.getAttribute(format === "csv" ? "data-busy-csv" : "data-busy-pdf");
      button.textContent = message;
      status.textContent = message;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/pdf, text/csv, text/html" } })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (response.ok && type.indexOf("text/html") !== 0) {
            return response.blob().then(function (blob) {
              save(blob, fileName(response, "jaarverslag." + format));
              finish(form.getAttribute("data-done"));
            });
          }
          if (response.ok) {
            // Refused (a wrong year): the dashboard, with the reason, as without script.
            window.location.assign(response.url);
            return undefined;
          }
          finish(form.getAttribute("data-failed"));
          return undefined;
        })
        .catch(function () {
          finish(form.getAttribute("data-failed"));
        });
    });
  }

  function ready() {
    document.querySelectorAll("form[data-report-download]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
