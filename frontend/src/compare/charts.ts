// Charts as generated SVG: no chart library, scalable to any width through the viewBox.
import { h, s } from "./dom";
import { money } from "./format";

export interface WageRange {
  label: string;
  side: "a" | "b";
  p10: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
}

/** Box-and-whisker rows (p10-p90 whiskers, p25-p75 box, median tick) on one shared scale. */
export function wageRangeChart(rows: WageRange[]): SVGElement {
  const values = rows.flatMap((r) => [r.p10, r.p25, r.median, r.p75, r.p90]);
  const known = values.filter((v): v is number => v !== null);
  const low = known.length ? Math.min(...known) : 0;
  const high = known.length ? Math.max(...known) : 1;
  const span = high - low || 1;
  const width = 600;
  const left = 20;
  const right = 20;
  const rowHeight = 68;
  const x = (v: number): number => left + ((v - low) / span) * (width - left - right);
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${rows.length * rowHeight + 24}`,
    role: "img",
    "aria-label": "Annual wage range, 10th to 90th percentile",
    class: "chart wage-range",
  });
  rows.forEach((row, index) => {
    const top = index * rowHeight + 18;
    const mid = top + 14;
    svg.append(s("text", { x: left, y: top - 4, class: "chart-label" }, row.label));
    if (row.p10 !== null && row.p90 !== null) {
      svg.append(
        s("line", { x1: x(row.p10), x2: x(row.p90), y1: mid, y2: mid, class: `whisker ${row.side}` }),
      );
    }
    if (row.p25 !== null && row.p75 !== null) {
      svg.append(
        s("rect", {
          x: x(row.p25),
          y: mid - 9,
          width: Math.max(1, x(row.p75) - x(row.p25)),
          height: 18,
          rx: 3,
          class: `box ${row.side}`,
        }),
      );
    }
    if (row.median !== null) {
      svg.append(
        s("line", { x1: x(row.median), x2: x(row.median), y1: mid - 12, y2: mid + 12, class: "median" }),
      );
    }
    const ends: [number | null, string][] = [
      [row.p10, "start"],
      [row.p90, "end"],
    ];
    for (const [value, anchor] of ends) {
      if (value === null) continue;
      svg.append(
        s("text", { x: x(value), y: mid + 28, "text-anchor": anchor, class: "chart-tick" }, money(value)),
      );
    }
  });
  return svg;
}

export interface ShareBar {
  label: string;
  a: number | null;
  b: number | null;
}

/** Paired horizontal bars (0-100 %) for each label, `a` above `b`. */
export function pairedShareChart(bars: ShareBar[], names: [string, string]): HTMLElement {
  return h(
    "div",
    { class: "paired-bars", role: "list" },
    ...bars.map((bar) =>
      h(
        "div",
        { class: "paired-row", role: "listitem" },
        h("div", { class: "paired-label" }, bar.label),
        meter(bar.a, 100, "a", `${names[0]}: ${bar.label}`),
        meter(bar.b, 100, "b", `${names[1]}: ${bar.label}`),
      ),
    ),
  );
}

/** One horizontal bar with its value written beside it (value/max as its width). */
export function meter(
  value: number | null,
  max: number,
  side: "a" | "b",
  label: string,
  unit = "%",
): HTMLElement {
  const width = value === null ? 0 : Math.max(0, Math.min(100, (value / max) * 100));
  const bar = h("span", { class: `bar-fill ${side}` });
  // A CSSOM style, not a style attribute: the page's CSP allows no inline style attributes.
  bar.style.width = `${width.toFixed(1)}%`;
  return h(
    "div",
    { class: "bar", title: label },
    h("span", { class: "bar-track" }, bar),
    h("span", { class: "bar-value" }, value === null ? "n/a" : `${Math.round(value)}${unit}`),
  );
}
