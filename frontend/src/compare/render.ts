// Renders the whole comparison from one ComparePage result.
import type { ComparePageQuery, SideFragment } from "../generated/graphql";
import { pairedShareChart, meter, wageRangeChart, type ShareBar } from "./charts";
import { h } from "./dom";
import { count, decimal, hourly, money, percent, signedPercent, NOT_PUBLISHED } from "./format";

type Comparison = NonNullable<ComparePageQuery["compare"]>;
type HowMatched = Comparison["aMatch"];

/** A code, slug or exact name with no close runner-up is unambiguous; anything else may not be. */
function isAmbiguous(match: HowMatched): boolean {
  return match.matchedBy === "CLOSEST_NAME" || match.alternatives.length > 0;
}

export interface Choice {
  /** Link target for choosing an alternative or a related career: the new URL query. */
  href: (side: "a" | "b", code: string) => string;
}

function section(id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  return h(
    "section",
    { id, class: "panel", "aria-labelledby": `${id}-title` },
    h("h2", { id: `${id}-title` }, title),
    ...children,
  );
}

function sideHeading(side: "a" | "b", occupation: SideFragment): HTMLElement {
  return h("h3", { class: `side-name ${side}` }, occupation.title);
}

/** A table with one row per measure and a column per side. */
function sideBySide(
  names: [string, string],
  rows: [string, string, string, string?][],
  caption: string,
): HTMLElement {
  return h(
    "table",
    { class: "side-by-side" },
    h("caption", { class: "visually-hidden" }, caption),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Measure")),
        h("th", { scope: "col", class: "a" }, names[0]),
        h("th", { scope: "col", class: "b" }, names[1]),
      ),
    ),
    h(
      "tbody",
      {},
      ...rows.map(([label, a, b, testId]) =>
        h(
          "tr",
          testId ? { "data-measure": testId } : {},
          h("th", { scope: "row" }, label),
          h("td", { class: "a", "data-side": "a" }, a),
          h("td", { class: "b", "data-side": "b" }, b),
        ),
      ),
    ),
  );
}

function matchNote(
  side: "a" | "b",
  occupation: SideFragment,
  match: HowMatched,
  choice: Choice,
): HTMLElement | null {
  if (!isAmbiguous(match)) return null;
  const how = match.matchedField
    ? `${match.matchedField.replaceAll("_", " ").toLowerCase()}`
    : match.matchedBy.replaceAll("_", " ").toLowerCase();
  const confidence = match.matchedBy === "CLOSEST_NAME" ? `, ${Math.round(match.score * 100)}% likely` : "";
  return h(
    "div",
    { class: `match-note ${side}`, "data-testid": `alternatives-${side}` },
    h("p", {}, `“${match.matchedText}” matched ${occupation.title} (${how}${confidence}).`),
    match.alternatives.length
      ? h(
          "p",
          {},
          "Did you mean: ",
          ...match.alternatives.flatMap((alternative, index) => [
            index > 0 ? ", " : null,
            h("a", { href: choice.href(side, alternative.occupation.code) }, alternative.occupation.title),
          ]),
          "?",
        )
      : null,
  );
}

function overview(c: Comparison, names: [string, string]): HTMLElement {
  const { a, b } = c;
  const degree = (side: "a" | "b"): string => {
    const d = c.degrees[side];
    if (!d?.mostCommonDegree) return NOT_PUBLISHED;
    return d.mostCommonShare === null
      ? d.mostCommonDegree
      : `${d.mostCommonDegree} (${percent(d.mostCommonShare)})`;
  };
  const growth = (o: SideFragment): string =>
    o.outlook ? `${signedPercent(o.outlook.percentChange)} (${o.outlook.growthText})` : NOT_PUBLISHED;
  const years = (o: SideFragment): string => {
    const typical = o.experience?.typicalYears;
    return typical === null || typical === undefined ? NOT_PUBLISHED : `${decimal(typical)} years`;
  };
  const period = a.outlook?.period ?? b.outlook?.period;
  return section(
    "overview",
    "Overview",
    sideBySide(
      names,
      [
        ["Yearly salary (median)", money(a.wages?.annual.median), money(b.wages?.annual.median), "annual-median"],
        ["Hourly rate (median)", hourly(a.wages?.hourly.median), hourly(b.wages?.hourly.median), "hourly-median"],
        [period ? `Growth ${period}` : "Projected growth", growth(a), growth(b), "growth"],
        ["Number of jobs", count(a.employment?.jobs), count(b.employment?.jobs), "jobs"],
        ["Most common degree", degree("a"), degree("b"), "degree"],
        ["Median age", decimal(a.demographics?.medianAge), decimal(b.demographics?.medianAge), "median-age"],
        ["Years of experience", years(a), years(b), "experience"],
      ],
      "Overview of both occupations",
    ),
  );
}

function salary(c: Comparison, names: [string, string]): HTMLElement {
  const range = (side: "a" | "b", o: SideFragment) => ({
    label: o.title,
    side,
    p10: o.wages?.annual.p10 ?? null,
    p25: o.wages?.annual.p25 ?? null,
    median: o.wages?.annual.median ?? null,
    p75: o.wages?.annual.p75 ?? null,
    p90: o.wages?.annual.p90 ?? null,
  });
  const top = (nodes: { value: number; name: string }[]): string => {
    const first = nodes[0];
    return first ? `${first.name} (${money(first.value)})` : NOT_PUBLISHED;
  };
  const states = (o: SideFragment) => (o.topPayingStates?.nodes ?? []).map((n) => ({ value: n.value, name: n.area.name }));
  const metros = (o: SideFragment) => (o.topPayingMetros?.nodes ?? []).map((n) => ({ value: n.value, name: n.area.name }));
  const industries = (o: SideFragment) =>
    (o.topPayingIndustries?.nodes ?? []).map((n) => ({ value: n.value, name: n.industry.name }));
  const topCoded = [c.a, c.b].some((o) => (o.wages?.annual.topCoded.length ?? 0) > 0);
  return section(
    "salary",
    "Salary",
    sideBySide(
      names,
      [
        ["Median", money(c.a.wages?.annual.median), money(c.b.wages?.annual.median), "salary-median"],
        ["10th-90th percentile", `${money(c.a.wages?.annual.p10)} - ${money(c.a.wages?.annual.p90)}`, `${money(c.b.wages?.annual.p10)} - ${money(c.b.wages?.annual.p90)}`, "salary-range"],
        ["Highest-paying state (mean)", top(states(c.a)), top(states(c.b)), "top-state"],
        ["Highest-paying metro (mean)", top(metros(c.a)), top(metros(c.b)), "top-metro"],
        ["Highest-paying industry (mean)", top(industries(c.a)), top(industries(c.b)), "top-industry"],
      ],
      "Salary of both occupations",
    ),
    h(
      "figure",
      {},
      wageRangeChart([range("a", c.a), range("b", c.b)]),
      h(
        "figcaption",
        {},
        "Annual wages: the line spans the 10th to 90th percentile, the box the 25th to 75th, the tick is the median (BLS OEWS).",
        topCoded ? " Some figures are BLS's top-code cap." : null,
      ),
    ),
  );
}

function education(c: Comparison, names: [string, string]): HTMLElement {
  const labels: string[] = [];
  for (const o of [c.a, c.b]) {
    for (const level of o.education?.distribution ?? []) {
      if (!labels.includes(level.label)) labels.push(level.label);
    }
  }
  const share = (o: SideFragment, label: string): number | null =>
    o.education?.distribution.find((level) => level.label === label)?.percent ?? null;
  const bars: ShareBar[] = labels.map((label) => ({ label, a: share(c.a, label), b: share(c.b, label) }));
  const entry = (side: "a" | "b") => c.degrees[side]?.typicalEntryEducation ?? NOT_PUBLISHED;
  const required = (side: "a" | "b") => {
    const level = c.education[side]?.typicalRequiredLevel;
    return level ? `${level.label} (${percent(level.percent)})` : NOT_PUBLISHED;
  };
  return section(
    "education",
    "Education",
    sideBySide(
      names,
      [
        ["Typical entry-level education (BLS)", entry("a"), entry("b")],
        ["Required level most cited (O*NET)", required("a"), required("b")],
      ],
      "Education of both occupations",
    ),
    bars.length ? pairedShareChart(bars, names) : h("p", { class: "empty" }, "No education distribution in this snapshot."),
  );
}

function demographics(c: Comparison, names: [string, string]): HTMLElement {
  const d = (o: SideFragment) => o.demographics;
  const women = (o: SideFragment) => d(o)?.womenShare ?? null;
  const men = (o: SideFragment) => {
    const w = women(o);
    return w === null ? null : 100 - w;
  };
  const gender: ShareBar[] = [
    { label: "Women", a: women(c.a), b: women(c.b) },
    { label: "Men", a: men(c.a), b: men(c.b) },
  ];
  const race: ShareBar[] = [
    { label: "White", a: d(c.a)?.whiteShare ?? null, b: d(c.b)?.whiteShare ?? null },
    { label: "Black or African American", a: d(c.a)?.blackShare ?? null, b: d(c.b)?.blackShare ?? null },
    { label: "Asian", a: d(c.a)?.asianShare ?? null, b: d(c.b)?.asianShare ?? null },
    { label: "Hispanic or Latino (any race)", a: d(c.a)?.hispanicShare ?? null, b: d(c.b)?.hispanicShare ?? null },
  ];
  const years = [d(c.a)?.sharesFrom?.surveyYear, d(c.b)?.sharesFrom?.surveyYear].filter(Boolean);
  const any = [...gender, ...race].some((bar) => bar.a !== null || bar.b !== null);
  return section(
    "demographics",
    "Demographics",
    any
      ? h(
          "div",
          { class: "two-charts" },
          h("figure", {}, h("figcaption", {}, "Gender"), pairedShareChart(gender, names)),
          h("figure", {}, h("figcaption", {}, "Race and ethnicity"), pairedShareChart(race, names)),
        )
      : h("p", { class: "empty" }, "No demographic figures in this snapshot."),
    years.length
      ? h("p", { class: "source" }, `Source: BLS Current Population Survey ${[...new Set(years)].join(", ")}, employed persons.`)
      : null,
  );
}

function duties(c: Comparison): HTMLElement {
  const list = (side: "a" | "b", o: SideFragment) =>
    h(
      "div",
      { class: `side ${side}` },
      sideHeading(side, o),
      o.tasks?.nodes.length
        ? h("ul", { class: "duties" }, ...o.tasks.nodes.map((task) => h("li", {}, task.statement)))
        : h("p", { class: "empty" }, "No task statements in this snapshot."),
    );
  return section("duties", "Duties", h("div", { class: "columns" }, list("a", c.a), list("b", c.b)));
}

function skills(c: Comparison, names: [string, string]): HTMLElement {
  const shared = h(
    "ul",
    { class: "skill-list shared", "aria-label": "Shared skills" },
    ...(c.sharedSkills?.nodes ?? []).map((pair) =>
      h(
        "li",
        { class: "skill shared" },
        h("span", { class: "skill-name" }, pair.skill.name, h("span", { class: "badge" }, "shared")),
        meter(pair.aScore, 100, "a", `${names[0]}: ${pair.skill.name}`, ""),
        meter(pair.bScore, 100, "b", `${names[1]}: ${pair.skill.name}`, ""),
      ),
    ),
  );
  const only = (side: "a" | "b", nodes: { skill: { name: string }; score: number }[], name: string) =>
    h(
      "div",
      { class: `side ${side}` },
      h("h3", { class: `side-name ${side}` }, `Only ${name}`),
      nodes.length
        ? h(
            "ul",
            { class: "skill-list" },
            ...nodes.map((n) =>
              h("li", { class: "skill" }, h("span", { class: "skill-name" }, n.skill.name), meter(n.score, 100, side, n.skill.name, "")),
            ),
          )
        : h("p", { class: "empty" }, "None."),
    );
  return section(
    "skills",
    "Skills",
    h(
      "p",
      { class: "legend" },
      h("span", { class: "swatch a" }),
      ` ${names[0]} `,
      h("span", { class: "swatch b" }),
      ` ${names[1]}; scores 0-100. `,
      `${c.sharedSkills?.totalCount ?? 0} shared skills`,
      c.similarity.score === null ? "." : `, similarity ${Math.round(c.similarity.score * 100)}%.`,
    ),
    c.sharedSkills?.nodes.length ? shared : h("p", { class: "empty" }, "No shared skills."),
    h(
      "div",
      { class: "columns" },
      only("a", (c.onlyA?.nodes ?? []).map((n) => ({ skill: n.skill, score: n.aScore })), names[0]),
      only("b", (c.onlyB?.nodes ?? []).map((n) => ({ skill: n.skill, score: n.bScore })), names[1]),
    ),
  );
}

function summary(c: Comparison): HTMLElement {
  return section("summary", "Summary", h("ul", { class: "summary" }, ...c.summary.map((sentence) => h("li", {}, sentence))));
}

function related(c: Comparison, choice: Choice): HTMLElement {
  const list = (side: "a" | "b", o: SideFragment) =>
    h(
      "div",
      { class: `side ${side}` },
      sideHeading(side, o),
      o.relatedCareers?.nodes.length
        ? h(
            "ul",
            { class: "related" },
            ...o.relatedCareers.nodes.map((career) =>
              h(
                "li",
                {},
                h("a", { href: choice.href(side, career.occupation.code) }, career.occupation.title),
                h(
                  "span",
                  { class: "related-why" },
                  ` ${career.label.replaceAll("_", " ").toLowerCase()}`,
                  career.wageRatio === null ? "" : `, pays ${Math.round(career.wageRatio * 100)}%`,
                ),
              ),
            ),
          )
        : h("p", { class: "empty" }, "No related careers in this snapshot."),
    );
  return section("related", "Related careers", h("div", { class: "columns" }, list("a", c.a), list("b", c.b)));
}

/** The page body for one comparison result. */
export function renderComparison(data: ComparePageQuery, choice: Choice): HTMLElement {
  const c = data.compare;
  if (!c) return h("p", { class: "error" }, "No comparison.");
  const names: [string, string] = [c.a.title, c.b.title];
  return h(
    "article",
    { class: "comparison", "aria-live": "polite" },
    h(
      "header",
      { class: "comparison-title" },
      h("h1", {}, h("span", { class: "a" }, c.a.title), h("span", { class: "vs" }, " vs "), h("span", { class: "b" }, c.b.title)),
      matchNote("a", c.a, c.aMatch, choice),
      matchNote("b", c.b, c.bMatch, choice),
    ),
    overview(c, names),
    salary(c, names),
    education(c, names),
    demographics(c, names),
    duties(c),
    skills(c, names),
    summary(c),
    related(c, choice),
  );
}
