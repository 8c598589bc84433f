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
