// Person search of 黑名单管理 新增 (templates/blacklist/_person_picker.html): Enter or 查询 asks
// GET <data-url>?search=…; choosing a result fills 证件类型 / 证件号码 / 姓名 of the form.
(function () {
  "use strict";

  function bind(root) {
    const input = root.querySelector("[data-person-search]");
    const button = root.querySelector("[data-person-search-button]");
    const list = root.querySelector("[data-person-results]");
    const chosen = root.querySelector("[data-person-chosen]");
    const msg = root.dataset;
    let controller = null;

    function field(id) { return document.getElementById(id); }

    function note(text) {
      list.replaceChildren();
      const div = document.createElement("div");
      div.className = "list-group-item small text-muted";
      div.textContent = text;
      list.appendChild(div);
      list.classList.remove("d-none");
    }

    function choose(person) {
      if (person.id_number.indexOf("*") >= 0) {
        // A list masks the number; the person's record has it whole (for HR, logged).
        fetch(msg.url + person.id + "/", { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
          .then(function (full) { if (full.id_number.indexOf("*") < 0) choose(full); else note(msg.msgError); })
          .catch(function () { note(msg.msgError); });
        return;
      }
      const idType = field(msg.targetIdType);
      const idNumber = field(msg.targetIdNumber);
      const name = field(msg.targetName);
      if (idType) idType.value = person.id_type;
      if (idNumber) idNumber.value = person.id_number;
      if (name) name.value = person.name;
      chosen.textContent = msg.msgChosen + person.name + "（" + person.id_number + "）";
      list.classList.add("d-none");
    }

    function render(results) {
      list.replaceChildren();
      if (!results.length) { note(msg.msgEmpty); return; }
      results.forEach(function (person) {
        const item = document.createElement("button");
        item.type = "button";
        item.className = "list-group-item list-group-item-action";
        item.setAttribute("role", "option");
        item.dataset.personId = person.id;
        const name = document.createElement("strong");
        name.textContent = person.name;
        const number = document.createElement("span");
        number.className = "ms-2";
        number.textContent = person.id_number;
        const org = document.createElement("small");
        org.className = "text-muted ms-2";
        org.textContent = person.organization_name || msg.msgNoOrg;
        item.append(name, number, org);
        item.addEventListener("click", function () { choose(person); });
        list.appendChild(item);
      });
      list.classList.remove("d-none");
    }

    function search() {
      const term = input.value.trim();
      if (!term) return;
      if (controller) controller.abort();
      controller = new AbortController();
      note(msg.msgLoading);
      fetch(msg.url + "?search=" + encodeURIComponent(term), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { render(data.results || []); })
        .catch(function (err) { if (err.name !== "AbortError") note(msg.msgError); });
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); search(); }
    });
    button.addEventListener("click", search);
  }

  document.querySelectorAll("[data-person-picker]").forEach(bind);
})();
