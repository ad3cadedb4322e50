// Import dialog: after a successful 提交, closing the dialog reloads the list so the new rows show.
(function () {
  "use strict";
  if (window.tabularImportLoaded) return;
  window.tabularImportLoaded = true;
  document.addEventListener("hidden.bs.modal", function (event) {
    const dialog = event.target;
    if (dialog.classList.contains("import-dialog") && dialog.querySelector("[data-import-done]")) {
      window.location.reload();
    }
  });
})();
