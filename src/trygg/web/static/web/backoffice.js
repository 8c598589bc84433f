// The back office on Django's admin: what its markup leaves short of WCAG 2.1 AA.
(function () {
  "use strict";
  // A field of a table of related records (an inline) has its column heading as its name, and
  // the second part of a split field (date and time) the label of the first.
  function named(field) {
    // A button (an input of type submit, reset, button or image) is named by its own text.
    if (/^(hidden|submit|reset|button|image)$/.test(field.type) || field.getAttribute("aria-label")) { return true; }
    if (field.id && document.querySelector('label[for="' + field.id + '"]')) { return true; }
    return !!field.closest("label");
  }
  Array.prototype.forEach.call(document.querySelectorAll("#content input, #content select, #content textarea"), function (field) {
    if (named(field)) { return; }
    var cell = field.closest("td");
    var table = field.closest("table");
    var text = "";
    if (cell && table) {
      var heading = table.querySelectorAll("thead th")[cell.cellIndex];
      if (heading) { text = heading.textContent.trim(); }
    }
    if (!text) {
      var row = field.closest(".form-row, .fieldBox");
      var label = row && row.querySelector("label");
      if (label) { text = label.textContent.replace(/:$/, "").trim(); }
    }
    if (text) { field.setAttribute("aria-label", text); }
  });
  // A region that scrolls sideways on a narrow screen can be scrolled with the keyboard.
  Array.prototype.forEach.call(document.querySelectorAll(".inline-group, .results"), function (region) {
    if (!region.hasAttribute("tabindex")) { region.setAttribute("tabindex", "0"); }
  });
})();
