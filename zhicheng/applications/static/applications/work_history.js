// ⑥ 工作经历 on the application form: "添加一行" appends a blank row built from the formset's
// empty form (the <template data-work-row-template>), numbering it with TOTAL_FORMS and counting
// it there, up to MAX_NUM_FORMS. Texts live in the template. The button is rendered disabled and
// enabled here, once it has its listener: a click before this script ran would do nothing.
(function () {
  "use strict";

  function bind(root) {
    if (root.dataset.workHistoryBound) return;
    root.dataset.workHistoryBound = "1";
    const prefix = root.dataset.prefix;
    const total = root.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    const max = root.querySelector("input[name='" + prefix + "-MAX_NUM_FORMS']");
    const template = root.querySelector("template[data-work-row-template]");
    const body = root.querySelector("tbody");
    const button = root.querySelector("[data-work-add]");
    const full = root.querySelector("[data-work-full]");

    function refresh() {
      const atMax = Number(total.value) >= Number(max.value);
      button.disabled = atMax;
      if (full) full.hidden = !atMax;
    }

    button.addEventListener("click", function () {
      const index = Number(total.value);
      if (index >= Number(max.value)) return;
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      const holder = document.createElement("tbody");
      holder.innerHTML = html;
      const row = holder.firstElementChild;
      body.appendChild(row);
      total.value = String(index + 1);
      refresh();
      const first = row.querySelector("input");
      if (first) first.focus();
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-work-history]").forEach(bind);
  });

  // ② 职称: a series chosen before htmx started (or restored by the browser's back button)
  // loads its titles — the series cell hears "series-restored" when its select differs from
  // the series the page was rendered with. (Here rather than an hx-trigger filter, which htmx
  // evaluates with Function(): the Content-Security-Policy allows no eval.)
  if (window.htmx) {
    window.htmx.onLoad(function (root) {
      const cells = Array.from(root.querySelectorAll("[data-loaded-series]"));
      if (root.matches && root.matches("[data-loaded-series]")) cells.push(root);
      cells.forEach(function (cell) {
        const select = cell.querySelector("select");
        if (select && select.value !== cell.dataset.loadedSeries) {
          window.htmx.trigger(cell, "series-restored");
        }
      });
    });
  }
})();
