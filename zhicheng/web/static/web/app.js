// Confirmation before destructive actions (删除 / 注销 / 撤销 / 停用 …).
// A form with data-confirm="…" asks in the confirmation modal (templates/web/_confirm_modal.html)
// before it is submitted; data-confirm-reason="撤销原因" also requires a reason, posted as the
// form's "reason" field. Without the modal on the page, the browser's confirm() is used.
(function () {
  "use strict";
  let pendingForm = null;
  let pendingSubmitter = null;

  function modalParts() {
    const el = document.getElementById("confirm-modal");
    if (!el || !window.bootstrap) return null;
    return {
      el: el,
      modal: window.bootstrap.Modal.getOrCreateInstance(el),
      text: el.querySelector("[data-confirm-text]"),
      group: el.querySelector("[data-confirm-reason-group]"),
      labels: el.querySelectorAll("[data-confirm-reason-label]"),
      reason: el.querySelector("#confirm-reason"),
      ok: el.querySelector("[data-confirm-ok]"),
    };
  }

  function submitConfirmed(form, reason, submitter) {
    if (reason !== null) {
      let input = form.querySelector("input[name=reason]");
      if (!input) {
        input = document.createElement("input");
        input.type = "hidden";
        input.name = "reason";
        form.appendChild(input);
      }
      input.value = reason;
    }
    form.dataset.confirmed = "1";
    if (!form.requestSubmit) { form.submit(); return; }
    if (submitter && submitter.form === form) form.requestSubmit(submitter); else form.requestSubmit();
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const message = form.dataset.confirm;
    if (!message) return;
    if (form.dataset.confirmed === "1") { delete form.dataset.confirmed; return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    const parts = modalParts();
    const reasonLabel = form.dataset.confirmReason || "";
    if (!parts) {
      if (window.confirm(message)) submitConfirmed(form, reasonLabel ? (window.prompt(reasonLabel) || "") : null, event.submitter);
      return;
    }
    pendingForm = form;
    pendingSubmitter = event.submitter || null;
    parts.text.textContent = message;
    parts.group.classList.toggle("d-none", !reasonLabel);
    parts.labels.forEach(function (l) { l.textContent = reasonLabel || "原因"; });
    parts.reason.value = "";
    parts.reason.classList.remove("is-invalid");
    parts.reason.required = !!reasonLabel;
    parts.modal.show();
  }, true);

  document.addEventListener("click", function (event) {
    if (!event.target.closest("[data-confirm-ok]") || !pendingForm) return;
    const parts = modalParts();
    const needsReason = !!pendingForm.dataset.confirmReason;
    const reason = parts.reason.value.trim();
    if (needsReason && !reason) {
      parts.reason.classList.add("is-invalid");
      parts.reason.focus();
      return;
    }
    const form = pendingForm;
    const submitter = pendingSubmitter;
    pendingForm = null;
    pendingSubmitter = null;
    parts.modal.hide();
    submitConfirmed(form, needsReason ? reason : null, submitter);
  });

  // Submit once: after a form's first submission its submit buttons (inside it or tied to it by
  // form="id") are disabled, and a POST form refuses any further submission (a second
  // requestSubmit(), Enter in a field, a script) until the page is left. A form answered by a
  // download (data-download, e.g. 导出) leaves the page as it is: it comes back after a few
  // seconds. A page restored from the back/forward cache is usable again.
  function submitButtons(form) {
    const own = Array.from(form.querySelectorAll("button[type=submit], input[type=submit]"));
    const tied = form.id ? Array.from(document.querySelectorAll(
      'button[type=submit][form="' + form.id + '"], input[type=submit][form="' + form.id + '"]')) : [];
    return own.concat(tied);
  }

  function release(form) {
    delete form.dataset.submitting;
    submitButtons(form).forEach(function (b) { b.disabled = false; });
    form.querySelectorAll("input[data-submitter-copy]").forEach(function (i) { i.remove(); });
  }

  // A disabled button is left out of the submitted data: the clicked button's name and value
  // (表决 同意 / 不同意 / 弃权 …) travel in a hidden copy instead.
  function keepSubmitter(form, submitter) {
    if (!submitter || !submitter.name) return;
    let copy = form.querySelector("input[data-submitter-copy]");
    if (!copy) {
      copy = document.createElement("input");
      copy.type = "hidden";
      copy.setAttribute("data-submitter-copy", "");
      form.appendChild(copy);
    }
    copy.name = submitter.name;
    copy.value = submitter.value;
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || form.hasAttribute("hx-get")) return;
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    if ((form.getAttribute("method") || "get").toLowerCase() === "post") form.dataset.submitting = "1";
    keepSubmitter(form, event.submitter);
    submitButtons(form).forEach(function (b) { b.disabled = true; });
    if (form.hasAttribute("data-download")) {
      window.setTimeout(function () { release(form); }, 3000);
    }
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form").forEach(release);
  });
})();
