// 1.12 list: "select all" ticks every row the user may approve (the rows' checkboxes belong to
// #batch-form). Rebinds after HTMX replaces the results.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    const all = event.target.closest("[data-select-all]");
    if (!all) return;
    document.querySelectorAll("[data-row-select]").forEach(function (box) { box.checked = all.checked; });
  });
})();
