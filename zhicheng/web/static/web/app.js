// Confirmation before destructive actions: any element with data-confirm asks first.
document.addEventListener("submit", function (event) {
  const form = event.target;
  const message = form.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);
// Disable submit buttons once a form is submitted, so a double click submits once.
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) return;
  event.target.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
});
