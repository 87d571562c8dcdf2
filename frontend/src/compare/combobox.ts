// An autocomplete search box (WAI-ARIA combobox with a listbox popup) over the `search` query.
import { h } from "./dom";

export interface Suggestion {
  code: string;
  title: string;
  matchedText: string;
}

export interface ComboboxOptions {
  id: string;
  label: string;
  placeholder: string;
  search: (text: string, signal: AbortSignal) => Promise<Suggestion[]>;
  /** Called when the user picks a suggestion (mouse or Enter on a highlighted option). */
  onPick: (suggestion: Suggestion) => void;
}

export interface Combobox {
  element: HTMLElement;
  input: HTMLInputElement;
  /** The occupation code picked from the list, or null when the text was typed freely. */
  pickedCode: () => string | null;
  set: (text: string, code: string | null) => void;
}

const DEBOUNCE_MS = 150;

export function combobox(options: ComboboxOptions): Combobox {
  const listId = `${options.id}-list`;
  const input = h("input", {
    id: options.id,
    type: "text",
    role: "combobox",
    autocomplete: "off",
    spellcheck: "false",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": listId,
    placeholder: options.placeholder,
  });
  const list = h("ul", { id: listId, role: "listbox", class: "suggestions", hidden: true });
  const element = h(
    "div",
    { class: "combobox" },
    h("label", { for: options.id }, options.label),
    input,
    list,
  );

  let suggestions: Suggestion[] = [];
  let active = -1;
  let picked: string | null = null;
  let timer: number | undefined;
  let inflight: AbortController | null = null;

  function close(): void {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index: number): void {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", `${listId}-${index}`);
      list.children[index]?.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function pick(index: number): void {
    const suggestion = suggestions[index];
    if (!suggestion) return;
    input.value = suggestion.title;
    picked = suggestion.code;
    close();
    options.onPick(suggestion);
  }

  function show(found: Suggestion[]): void {
    suggestions = found;
    list.replaceChildren(
      ...found.map((suggestion, index) => {
        const option = h(
          "li",
          { id: `${listId}-${index}`, role: "option", "aria-selected": "false" },
          h("span", { class: "option-title" }, suggestion.title),
          suggestion.matchedText.toLowerCase() !== suggestion.title.toLowerCase()
            ? h("span", { class: "option-match" }, ` (${suggestion.matchedText})`)
            : null,
          h("span", { class: "option-code" }, ` ${suggestion.code}`),
        );
        // mousedown, not click: it fires before the input's blur closes the list.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          pick(index);
        });
        return option;
      }),
    );
    const open = found.length > 0 && document.activeElement === input;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    active = -1;
  }

  input.addEventListener("input", () => {
    picked = null;
    window.clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      show([]);
      return;
    }
    timer = window.setTimeout(() => {
      inflight?.abort();
      const controller = new AbortController();
      inflight = controller;
      options
        .search(text, controller.signal)
        .then((found) => {
          if (!controller.signal.aborted) show(found);
        })
        .catch((error: unknown) => {
          if (!(error instanceof DOMException && error.name === "AbortError")) show([]);
        });
    }, DEBOUNCE_MS);
  });

  input.addEventListener("keydown", (event) => {
    const open = !list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      highlight(Math.min(active + 1, suggestions.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      pick(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", close);

  return {
    element,
    input,
    pickedCode: () => picked,
    set(text: string, code: string | null) {
      input.value = text;
      picked = code;
    },
  };
}
