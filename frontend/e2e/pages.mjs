// End-to-end run of the bundled pages in real headless Chromium (Debian's, driven by
// playwright-core: no browser download). Usage: node pages.mjs BASE_URL ARTIFACT_DIR
// Prints one JSON report on stdout; tests/frontend/test_pages_e2e.py asserts on it.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [base, artifacts] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
mkdirSync(artifacts, { recursive: true });

// Without the background-networking flags Chromium tries Google's hosts on a closed network.
const args = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const profile = mkdtempSync(join(tmpdir(), "careergraph-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  args,
  headless: true,
  viewport: { width: 1280, height: 900 },
});

const report = { graphiql: {}, compare: {}, ambiguous: {}, problems: [] };

/** Console errors, uncaught exceptions, CSP refusals, failed requests and off-origin requests. */
function watch(page, label) {
  const origin = new URL(base).origin;
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      report.problems.push({ page: label, kind: `console.${message.type()}`, text: message.text().slice(0, 400) });
    }
  });
  page.on("pageerror", (error) => report.problems.push({ page: label, kind: "pageerror", text: String(error) }));
  page.on("requestfailed", (request) => {
    // An aborted autocomplete search is the page cancelling a stale request on purpose.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    report.problems.push({ page: label, kind: "requestfailed", text: `${request.url()} ${request.failure()?.errorText}` });
  });
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) {
      report.problems.push({ page: label, kind: "off-origin", text: url });
    }
  });
}

/** Every POST to /graphql on this page, by operation name. */
function countOperations(page) {
  const counts = {};
  page.on("request", (request) => {
    if (!request.url().endsWith("/graphql") || request.method() !== "POST") return;
    let name = "(unnamed)";
    try {
      name = JSON.parse(request.postData() ?? "{}").operationName ?? name;
    } catch {
      name = "(unparsable)";
    }
    counts[name] = (counts[name] ?? 0) + 1;
  });
  return counts;
}

async function pick(page, selector, text, expectedTitle) {
  const input = page.locator(selector);
  await input.click();
  await input.pressSequentially(text, { delay: 20 });
  const listbox = page.locator(`#${await input.getAttribute("aria-controls")}`);
  await listbox.locator("[role=option]").first().waitFor({ state: "visible" });
  // Keyboard only: arrow down to the wanted title, then Enter.
  const titles = await listbox.locator("[role=option] .option-title").allTextContents();
  const index = Math.max(0, titles.indexOf(expectedTitle));
  for (let i = 0; i <= index; i += 1) await input.press("ArrowDown");
  const activeId = await input.getAttribute("aria-activedescendant");
  await input.press("Enter");
  return { titles, index, activeId, value: await input.inputValue(), expanded: await input.getAttribute("aria-expanded") };
}

async function figures(page) {
  const read = async (measure, side) =>
    (await page.locator(`[data-measure=${measure}] td[data-side=${side}]`).first().textContent())?.trim();
  const out = {};
  for (const measure of ["annual-median", "hourly-median", "salary-median", "salary-range", "jobs", "top-state"]) {
    out[measure] = { a: await read(measure, "a"), b: await read(measure, "b") };
  }
  return out;
}

try {
  // 1. GraphiQL: renders from the bundled assets, opens the examples as tabs, runs ComparePage.
  {
    const page = await context.newPage();
    watch(page, "graphiql");
    const introspection = page.waitForResponse(
      (r) => r.url().endsWith("/graphql") && (r.request().postData() ?? "").includes("IntrospectionQuery"),
      { timeout: 30000 },
    );
    const response = await page.goto(`${base}/graphql`, { waitUntil: "load" });
    report.graphiql.csp = response.headers()["content-security-policy"] ?? null;
    await page.locator(".graphiql-container").waitFor({ timeout: 30000 });
    report.graphiql.introspectionStatus = (await introspection).status();
    const tabs = page.locator(".graphiql-tab");
    await tabs.first().waitFor();
    report.graphiql.tabs = (await tabs.allTextContents()).map((t) => t.replace(/v0 icon$/, "").trim());
    const editorShows = (text) =>
      page.waitForFunction(
        (wanted) => document.querySelector(".graphiql-editor .view-lines")?.textContent?.includes(wanted),
        text,
      );
    // Monaco is ready once it shows the first tab's document; a click before that is lost.
    await editorShows(report.graphiql.tabs[0]);
    await page.locator(".graphiql-tab", { hasText: "ComparePage" }).first().click();
    await page.locator(".graphiql-tab-active", { hasText: "ComparePage" }).waitFor();
    // The query editor (Monaco) shows the tab's document once the tab is active.
    await editorShows("ComparePage");
    // GraphiQL sets the tab's operation name 100 ms (a debounce) after the editor changes; a run
    // before that sends the previous tab's name (a 400). Wait past it, and retry if it still lost.
    let result;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await page.waitForTimeout(400 * attempt);
      const seen = report.problems.length;
      const [response] = await Promise.all([
        page.waitForResponse(
          (r) => r.url().endsWith("/graphql") && r.request().method() === "POST" &&
            !(r.request().postData() ?? "").includes("IntrospectionQuery"),
          { timeout: 30000 },
        ),
        page.locator(".graphiql-execute-button").click(),
      ]);
      const sent = JSON.parse(response.request().postData() ?? "{}").operationName;
      report.graphiql.attempts = attempt;
      if (sent === "ComparePage") {
        result = response;
        break;
      }
      report.problems.splice(seen); // the lost run's 400, logged by the browser
    }
    const body = await result.json();
    report.graphiql.status = result.status();
    report.graphiql.compareTitles = body.data?.compare ? [body.data.compare.a.title, body.data.compare.b.title] : null;
    report.graphiql.errors = body.errors ?? [];
    // The response pane (Monaco too) shows the result.
    await page.waitForFunction(
      () => document.querySelector(".graphiql-response .view-lines")?.textContent?.includes('"data"'),
    );
    report.graphiql.resultShown = await page.evaluate(
      () => document.querySelector(".graphiql-response .view-lines")?.textContent?.slice(0, 200),
    );
    await page.screenshot({ path: join(artifacts, "graphiql-1280.png") });
    await page.close();
  }

  // 2. /compare at 1280 px: choose both careers with the keyboard, one request per comparison.
  {
    const page = await context.newPage();
    watch(page, "compare");
    const counts = countOperations(page);
    const response = await page.goto(`${base}/compare`, { waitUntil: "load" });
    report.compare.csp = response.headers()["content-security-policy"] ?? null;
    report.compare.pickA = await pick(page, "#occupation-a", "nursing assist", "Nursing Assistants");
    report.compare.pickB = await pick(page, "#occupation-b", "customer serv", "Customer Service Representatives");
    const before = { ...counts };
    await page.keyboard.press("Enter"); // focus moved to the Compare button after the second pick
    await page.locator("article.comparison").waitFor({ timeout: 30000 });
    await page.waitForLoadState("networkidle");
    report.compare.countsBeforeCompare = before;
    report.compare.counts = { ...counts };
    report.compare.url = page.url();
    report.compare.title = (await page.locator(".comparison-title h1").textContent())?.trim();
    report.compare.figures = await figures(page);
    report.compare.sections = await page.locator("section.panel h2").allTextContents();
    report.compare.sharedSkills = await page.locator(".skill.shared").count();
    report.compare.charts = await page.locator("svg.wage-range").count();
    report.compare.overflow1280 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await page.screenshot({ path: join(artifacts, "compare-1280.png"), fullPage: true });
    // The first screen, as the README shows it (docs/compare.png is a copy of this one).
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(artifacts, "compare-1280-first-screen.png") });

    // 3. The URL holds the choice: a fresh page at 375 px from that URL, again one request.
    const shared = await context.newPage();
    watch(shared, "compare-375");
    const sharedCounts = countOperations(shared);
    await shared.setViewportSize({ width: 375, height: 812 });
    await shared.goto(report.compare.url, { waitUntil: "load" });
    await shared.locator("article.comparison").waitFor({ timeout: 30000 });
    await shared.waitForLoadState("networkidle");
    report.compare.sharedCounts = { ...sharedCounts };
    report.compare.sharedTitle = (await shared.locator(".comparison-title h1").textContent())?.trim();
    report.compare.sharedFigures = await figures(shared);
    report.compare.sharedInputs = [await shared.locator("#occupation-a").inputValue(), await shared.locator("#occupation-b").inputValue()];
    report.compare.overflow375 = await shared.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await shared.screenshot({ path: join(artifacts, "compare-375.png"), fullPage: true });
    await shared.close();
    await page.close();
  }

  // 4. An ambiguous title shows its alternatives, from the same single request.
  {
    const page = await context.newPage();
    watch(page, "ambiguous");
    const counts = countOperations(page);
    await page.goto(`${base}/compare?a=technician&b=nurse`, { waitUntil: "load" });
    await page.locator("article.comparison").waitFor({ timeout: 30000 });
    await page.waitForLoadState("networkidle");
    report.ambiguous.counts = { ...counts };
    report.ambiguous.notes = await page.locator(".match-note").allTextContents();
    report.ambiguous.alternatives = await page.locator(".match-note a").allTextContents();
    await page.close();
  }
} catch (error) {
  report.failure = String(error?.stack ?? error);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(report)}\n`);
