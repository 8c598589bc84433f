// On a narrow screen a table reads as a list: each cell carries its column's heading, which the
// style sheet shows before the value (see ".stacked" in portal.css).
(function () {
  "use strict";
  var tables = document.querySelectorAll(".table-wrap table");
  Array.prototype.forEach.call(tables, function (table) {
    var headings = Array.prototype.map.call(
      table.querySelectorAll("thead th"), function (th) { return th.textContent.trim(); });
    if (!headings.length) { return; }
    Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (row) {
      Array.prototype.forEach.call(row.children, function (cell, index) {
        if (headings[index] && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headings[index]);
        }
      });
    });
    table.classList.add("stacked");
  });
})();

// The main menu folds behind a "Menu" button on a narrow screen; without script it stays open.
(function () {
  "use strict";
  var button = document.getElementById("menu-button");
  var menu = document.getElementById("main-menu");
  if (!button || !menu) { return; }
  document.documentElement.classList.add("menu-folds");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("open", open);
  });
})();

// A form refused by the server (422, also when htmx swapped it in) shows its summary of errors
// at the top and moves the focus there, so a keyboard or screen-reader user hears what is wrong.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  }
  document.addEventListener("DOMContentLoaded", focusSummary);
  document.addEventListener("htmx:afterSettle", focusSummary);
})();

// Warns a minute before the idle log-out, then shows the log-in page when the session is over.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "", 10);
  if (!idle) { return; }
  var warnTimer, endTimer;
  function schedule() {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    var old = document.getElementById("idle-warning");
    if (old) { old.remove(); }
    warnTimer = setTimeout(function () {
      var note = document.createElement("p");
      note.id = "idle-warning";
      note.className = "message warning";
      note.setAttribute("role", "alert");
      note.textContent = body.getAttribute("data-idle-warning");
      document.getElementById("main").prepend(note);
    }, Math.max(0, idle - 60) * 1000);
    endTimer = setTimeout(function () { window.location.reload(); }, (idle + 2) * 1000);
  }
  document.addEventListener("htmx:afterRequest", schedule);
  schedule();
})();

// A receipt's "Print" button (shown only with script) opens the browser's print dialogue.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
