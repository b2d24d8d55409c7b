// The search box's type-ahead (/v1/suggest), after the ARIA 1.2 combobox pattern with a listbox:
// from the first letter; ↓/↑ move through the options (aria-activedescendant), Entrée picks one,
// Échap closes the list (or, closed, empties the box); the pointer picks one too.

import { get } from "./api.js";
import { h } from "./format.js";

const KINDS = { category: "Catégorie", merchant: "Commerce", product: "Produit", brand: "Marque" };
const DELAY_MS = 80;

export function combobox(input, list, { onPick, around }) {
  let options = [];
  let active = -1;
  let timer = null;
  let controller = null;
  let shownFor = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function open() {
    list.hidden = options.length === 0;
    input.setAttribute("aria-expanded", String(options.length > 0));
  }

  function activate(index) {
    active = index;
    for (const [i, li] of [...list.children].entries()) li.setAttribute("aria-selected", String(i === index));
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    const li = list.children[index];
    input.setAttribute("aria-activedescendant", li.id);
    li.scrollIntoView({ block: "nearest" });
  }

  function show(items) {
    options = items;
    list.replaceChildren(
      ...items.map((item, i) =>
        h(
          "li",
          {
            id: `suggestion-${i}`,
            role: "option",
            "aria-selected": "false",
            // mousedown, not click: the box must not lose focus (and close the list) first
            onmousedown: (event) => {
              event.preventDefault();
              pick(i);
            },
          },
          h("span", {}, item.text),
          h("span", { class: "genre" }, KINDS[item.type] || ""),
        ),
      ),
    );
    active = -1;
    open();
  }

  function pick(index) {
    const item = options[index];
    close();
    if (!item) return;
    input.value = item.text;
    onPick(item);
  }

  async function fetchFor(text) {
    controller?.abort();
    controller = new AbortController();
    try {
      const answer = await get("/v1/suggest", { q: text, ...around() }, { signal: controller.signal });
      if (input.value.trim() !== text || document.activeElement !== input) return;
      shownFor = text;
      show(answer.items);
    } catch (error) {
      if (error.name !== "AbortError") close(); // suggestions are a help: a failure only hides them
    }
  }

  input.addEventListener("input", () => {
    const text = input.value.trim();
    clearTimeout(timer);
    if (!text) {
      controller?.abort();
      options = [];
      close();
      return;
    }
    timer = setTimeout(() => fetchFor(text), DELAY_MS);
  });

  input.addEventListener("keydown", (event) => {
    const expanded = !list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      if (!expanded) open();
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = active + step;
      activate(next < 0 ? options.length - 1 : next >= options.length ? -1 : next);
    } else if (event.key === "Enter" && expanded && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        close();
      } else if (input.value) {
        event.preventDefault();
        input.value = "";
      }
    } else if (event.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", () => close());
  input.addEventListener("focus", () => {
    if (options.length && shownFor === input.value.trim()) open();
  });

  return { close };
}
