// Case-study editor: "Find commitments" opens Wagtail's commitment chooser on the country
// chosen in the same form (several may be ticked), and a box narrows the theme checkboxes.
// Without this script both fields still work as plain checkbox lists.
(() => {
  "use strict";

  function addCommitment(picker, item) {
    const list = picker.querySelector("[data-commitment-picker-list]");
    const existing = list.querySelector(`input[value="${CSS.escape(String(item.id))}"]`);
    if (existing) {
      existing.checked = true;
      return;
    }
    const li = document.createElement("li");
    li.className = "commitment-picker__item";
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.name = picker.dataset.name;
    input.value = item.id;
    input.checked = true;
    const title = document.createElement("span");
    title.className = "commitment-picker__title";
    title.textContent = item.string || item.title || "";
    const meta = document.createElement("span");
    meta.className = "commitment-picker__meta";
    meta.textContent = item.ratings || "";
    label.append(input, " ", title, " ", meta);
    li.append(label);
    list.prepend(li);
    picker.querySelector("[data-commitment-picker-empty]").hidden = true;
  }

  function initCommitmentPicker(picker) {
    const button = picker.querySelector("[data-commitment-picker-open]");
    button.hidden = false;
    button.addEventListener("click", () => {
      const country = document.getElementById(picker.dataset.countryField);
      const urlParams = { multiple: 1 };
      if (country && country.value) {
        urlParams.country = country.value;
      }
      window.ModalWorkflow({
        url: picker.dataset.chooserUrl,
        urlParams,
        onload: window.CHOOSER_MODAL_ONLOAD_HANDLERS,
        responses: {
          chosen: (items) => [].concat(items).forEach((item) => addCommitment(picker, item)),
        },
      });
    });
  }

  function initThemeFilter(container) {
    const wrapper = container.querySelector("[data-grouped-themes-filter]");
    const box = wrapper.querySelector("input");
    wrapper.hidden = false;
    box.addEventListener("input", () => {
      const words = box.value.trim().toLowerCase();
      container.querySelectorAll("[data-grouped-themes-group]").forEach((group) => {
        let shown = 0;
        group.querySelectorAll("[data-grouped-themes-option]").forEach((option) => {
          const ticked = option.querySelector("input").checked;
          const match = !words || ticked || option.textContent.toLowerCase().includes(words);
          option.hidden = !match;
          shown += match ? 1 : 0;
        });
        // A group whose own name matches shows all its themes.
        const legend = group.querySelector("legend").textContent.toLowerCase();
        if (words && legend.includes(words)) {
          group.querySelectorAll("[data-grouped-themes-option]").forEach((option) => {
            option.hidden = false;
          });
          shown = 1;
        }
        group.hidden = shown === 0;
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-commitment-picker]").forEach(initCommitmentPicker);
    document.querySelectorAll("[data-grouped-themes]").forEach(initThemeFilter);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
