// Organization typeahead (录入机构名称，回车查询，支持模糊查询), see templates/web/_org_typeahead.html.
// Enter (or a short pause in typing) queries GET <data-url>?search=…; choosing a match fills the
// hidden id input. Several widgets may share a page; widgets added later by HTMX are bound too.
(function () {
  "use strict";
  const DEBOUNCE_MS = 300;
  const MAX_RESULTS = 20;

  function bind(root) {
    if (root.dataset.typeaheadBound) return;
    root.dataset.typeaheadBound = "1";
    const input = root.querySelector("[data-typeahead-input]");
    const hidden = root.querySelector("[data-typeahead-value]");
    const menu = root.querySelector("[data-typeahead-menu]");
    const chosen = root.querySelector("[data-typeahead-chosen]");
    const msg = root.dataset;
    // Which fields of a result are its name and its code (an organization's 统一社会信用代码
    // by default; another endpoint, e.g. the issuing units, names its own).
    const nameKey = msg.nameKey || "name";
    const codeKey = msg.codeKey || "uscc";
    let timer = null;
    let controller = null;
    let active = -1;
    let lastTerm = null;

    function items() { return Array.from(menu.querySelectorAll("[data-typeahead-item]")); }

    function close() {
      menu.classList.add("d-none");
      input.setAttribute("aria-expanded", "false");
      active = -1;
    }

    function open() {
      menu.classList.remove("d-none");
      input.setAttribute("aria-expanded", "true");
    }

    function note(text) {
      menu.replaceChildren();
      const div = document.createElement("div");
      div.className = "list-group-item small text-muted";
      div.textContent = text;
      menu.appendChild(div);
      open();
    }

    function highlight(index) {
      const list = items();
      if (!list.length) return;
      active = (index + list.length) % list.length;
      list.forEach(function (el, i) { el.classList.toggle("active", i === active); });
      list[active].scrollIntoView({ block: "nearest" });
    }

    function choose(org) {
      hidden.value = org.id;
      input.value = org[nameKey];
      lastTerm = org[nameKey];
      chosen.textContent = msg.msgChosen + org[nameKey] + (org[codeKey] ? "（" + org[codeKey] + "）" : "");
      input.classList.remove("is-invalid");
      close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function render(results) {
      menu.replaceChildren();
      if (!results.length) { note(msg.msgEmpty); return; }
      results.slice(0, MAX_RESULTS).forEach(function (org) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "list-group-item list-group-item-action";
        button.setAttribute("role", "option");
        button.dataset.typeaheadItem = "1";
        const name = document.createElement("span");
        name.textContent = org[nameKey];
        const code = document.createElement("small");
        code.className = "text-muted ms-2";
        code.textContent = (org[codeKey] || "") + (org.status === "deregistered" ? "（" + org.status_display + "）" : "");
        button.append(name, code);
        button.addEventListener("mousedown", function (e) { e.preventDefault(); });
        button.addEventListener("click", function () { choose(org); });
        menu.appendChild(button);
      });
      active = -1;
      open();
    }

    function search(force) {
      const term = input.value.trim();
      if (!term) { close(); return; }
      if (!force && term === lastTerm) return;
      lastTerm = term;
      if (controller) controller.abort();
      controller = new AbortController();
      const params = new URLSearchParams({ search: term });
      if (msg.orgType) params.set("org_type", msg.orgType);
      if (msg.includeDeregistered) params.set("include_deregistered", "1");
      note(msg.msgLoading);
      fetch(msg.url + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { render(data.results || []); })
        .catch(function (err) { if (err.name !== "AbortError") note(msg.msgError); });
    }

    input.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault(); // Enter queries; it never submits the surrounding form.
        const list = items();
        if (active >= 0 && list[active] && !menu.classList.contains("d-none")) {
          list[active].click();
        } else {
          clearTimeout(timer);
          search(true);
        }
      } else if (e.key === "ArrowDown") {
        e.preventDefault(); highlight(active + 1);
      } else if (e.key === "ArrowUp") {
        e.preventDefault(); highlight(active - 1);
      } else if (e.key === "Escape") {
        close();
      }
    });
    // The text typed is only a search term: the widget reports a choice (or its loss) by the
    // hidden input's change. The box's own change, fired when it loses focus (the user moving on
    // to tick the next box), would make listeners reload with the state as it was before the click.
    input.addEventListener("change", function (e) { e.stopPropagation(); });
    input.addEventListener("input", function () {
      // Typing invalidates a previous choice: a stale id is never submitted, and listeners learn it.
      if (hidden.value) {
        hidden.value = ""; chosen.textContent = "";
        hidden.dispatchEvent(new Event("change", { bubbles: true }));
      }
      clearTimeout(timer);
      timer = setTimeout(function () { search(false); }, DEBOUNCE_MS);
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    root.querySelector("[data-typeahead-search]").addEventListener("click", function () {
      search(true); input.focus();
    });
    root.querySelector("[data-typeahead-clear]").addEventListener("click", function () {
      input.value = ""; hidden.value = ""; chosen.textContent = ""; lastTerm = null; close();
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    });
  }

  function bindAll(scope) {
    (scope || document).querySelectorAll("[data-org-typeahead]").forEach(bind);
  }

  document.addEventListener("DOMContentLoaded", function () { bindAll(document); });
  document.addEventListener("htmx:load", function (e) { bindAll(e.target); });
})();
