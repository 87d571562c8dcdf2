// The /compare reference page: two search boxes, the choice in the URL, one ComparePage request.
import "./compare.css";

import { request, type GraphQLErrorBody } from "../client";
import { ComparePageDocument, SearchDocument } from "../generated/graphql";
import { combobox, type Suggestion } from "./combobox";
import { h } from "./dom";
import { renderComparison } from "./render";

const ENDPOINT = "/graphql";
const SUGGESTIONS = 8;

async function suggest(text: string, signal: AbortSignal): Promise<Suggestion[]> {
  const result = await request(ENDPOINT, SearchDocument, { text, first: SUGGESTIONS }, signal);
  const seen = new Set<string>();
  const found: Suggestion[] = [];
  // One entry per occupation: several of its alternate titles can match the same text.
  for (const hit of result.data?.search?.nodes ?? []) {
    if (seen.has(hit.occupation.code)) continue;
    seen.add(hit.occupation.code);
    found.push({ code: hit.occupation.code, title: hit.occupation.title, matchedText: hit.matchedText });
  }
  return found;
}

function readChoice(): { a: string; b: string } {
  const params = new URLSearchParams(window.location.search);
  return { a: params.get("a")?.trim() ?? "", b: params.get("b")?.trim() ?? "" };
}

function choiceUrl(a: string, b: string): string {
  const params = new URLSearchParams({ a, b });
  return `${window.location.pathname}?${params.toString()}`;
}

const status = h("p", { class: "status", role: "status" });
const result = h("div", { id: "result" });
let inflight: AbortController | null = null;

function errorView(errors: GraphQLErrorBody[]): HTMLElement {
  return h(
    "div",
    { class: "error", role: "alert" },
    ...errors.map((error) =>
      h(
        "p",
        {},
        error.message,
        error.extensions?.code ? h("code", { class: "error-code" }, ` ${error.extensions.code}`) : null,
      ),
    ),
  );
}

type Resolved = (a: { title: string; code: string }, b: { title: string; code: string }) => void;

async function compare(a: string, b: string, resolved: Resolved): Promise<void> {
  inflight?.abort();
  const controller = new AbortController();
  inflight = controller;
  status.textContent = "Comparing…";
  result.setAttribute("aria-busy", "true");
  try {
    const response = await request(ENDPOINT, ComparePageDocument, { a, b }, controller.signal);
    if (controller.signal.aborted) return;
    const views: HTMLElement[] = [];
    if (response.errors?.length) views.push(errorView(response.errors));
    if (response.data?.compare) {
      const current = { a, b };
      views.push(
        renderComparison(response.data, {
          href: (side, code) => choiceUrl(side === "a" ? code : current.a, side === "b" ? code : current.b),
        }),
      );
      resolved(response.data.compare.a, response.data.compare.b);
      document.title = `${response.data.compare.a.title} vs ${response.data.compare.b.title} | careergraph`;
    }
    result.replaceChildren(...views);
    status.textContent = "";
  } catch (error: unknown) {
    if (error instanceof DOMException && error.name === "AbortError") return;
    status.textContent = "";
    result.replaceChildren(errorView([{ message: `The API could not be reached: ${String(error)}` }]));
  } finally {
    result.removeAttribute("aria-busy");
  }
}

function main(): void {
  const root = document.getElementById("app");
  if (!root) return;
  const first = combobox({
    id: "occupation-a",
    label: "First career",
    placeholder: "e.g. patient care technician",
    search: suggest,
    onPick: () => second.input.focus(),
  });
  const second = combobox({
    id: "occupation-b",
    label: "Second career",
    placeholder: "e.g. customer service representative",
    search: suggest,
    onPick: () => button.focus(),
  });
  // The boxes show what each side resolved to, keeping its code as the pick.
  const showResolved: Resolved = (a, b) => {
    first.set(a.title, a.code);
    second.set(b.title, b.code);
  };
  const button = h("button", { type: "submit" }, "Compare");
  const form = h("form", { class: "choose", role: "search" }, first.element, h("span", { class: "vs", "aria-hidden": "true" }, "vs"), second.element, button);

  const submit = (): void => {
    const a = first.pickedCode() ?? first.input.value.trim();
    const b = second.pickedCode() ?? second.input.value.trim();
    if (!a || !b) {
      status.textContent = "Choose two careers to compare.";
      (a ? second.input : first.input).focus();
      return;
    }
    window.history.pushState({ a, b }, "", choiceUrl(a, b));
    void compare(a, b, showResolved);
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });

  const load = (): void => {
    const { a, b } = readChoice();
    first.set(a, null);
    second.set(b, null);
    if (a && b) void compare(a, b, showResolved);
    else result.replaceChildren();
  };
  window.addEventListener("popstate", load);

  root.replaceChildren(
    h("header", { class: "site" }, h("a", { href: "/compare", class: "brand" }, "careergraph"), h("span", {}, " · compare careers"), h("a", { href: "/graphql", class: "playground" }, "GraphQL playground")),
    form,
    status,
    result,
    h("footer", {}, "Data: U.S. Bureau of Labor Statistics (OEWS, Employment Projections, CPS) and O*NET 30.1 by USDOL/ETA (CC BY 4.0). ", h("a", { href: "/static/THIRD_PARTY_LICENSES.md" }, "Third-party licences")),
  );
  load();
}

main();
