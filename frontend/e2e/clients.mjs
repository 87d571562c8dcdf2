// Every example operation through Apollo Client 4 (development build: run node with
// --conditions=development) and urql 6 with graphcache, configured from src/cache.ts, against a
// real server. Usage: node --conditions=development clients.mjs GRAPHQL_URL OPERATIONS_DIR
// Prints one JSON report on stdout; tests/frontend/test_client_caches.py asserts on it.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { cacheExchange } from "@urql/exchange-graphcache";
import { Client, fetchExchange } from "@urql/core";
import { parse } from "graphql";
import ts from "typescript";

const [url, operationsDir] = process.argv.slice(2);
const here = new URL("..", import.meta.url).pathname;

/** The committed cache configuration (TypeScript), transpiled as is for this Node run. */
async function loadCacheConfig() {
  const dir = mkdtempSync(join(tmpdir(), "careergraph-cache-"));
  const emit = (source, target, rewrite = (s) => s) => {
    const { outputText } = ts.transpileModule(readFileSync(join(here, source), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(dir, target), rewrite(outputText));
  };
  emit("src/generated/cache-types.ts", "cache-types.mjs");
  emit("src/cache.ts", "cache.mjs", (s) => s.replace('"./generated/cache-types"', '"./cache-types.mjs"'));
  const module = await import(pathToFileURL(join(dir, "cache.mjs")).href);
  rmSync(dir, { recursive: true, force: true });
  return module;
}

/** Run `body` and return every console.warn / console.error it caused. */
async function capture(body) {
  const messages = [];
  const saved = { warn: console.warn, error: console.error };
  console.warn = (...args) => messages.push({ level: "warn", text: args.map(String).join(" ").slice(0, 500) });
  console.error = (...args) => messages.push({ level: "error", text: args.map(String).join(" ").slice(0, 500) });
  try {
    await body();
  } finally {
    Object.assign(console, saved);
  }
  return messages;
}

const config = await loadCacheConfig();
const operations = readdirSync(operationsDir)
  .filter((name) => name.endsWith(".graphql"))
  .sort()
  .map((name) => ({ name, document: parse(readFileSync(join(operationsDir, name), "utf8")) }));

function apollo(typePolicies, possibleTypes) {
  return new ApolloClient({
    link: new HttpLink({ uri: url }),
    cache: new InMemoryCache({ typePolicies, possibleTypes }),
  });
}

function urql(keys) {
  return new Client({ url, exchanges: [cacheExchange({ keys }), fetchExchange], preferGetMethod: false });
}

async function runApollo(client, order) {
  const results = [];
  for (const { name, document } of order) {
    let result;
    try {
      result = await client.query({ query: document, fetchPolicy: "network-only", errorPolicy: "all" });
    } catch (error) {
      results.push({ name, data: false, errors: [String(error)], cacheComplete: false, sameAsNetwork: false });
      continue;
    }
    // Read back from the cache alone: null or a throw means the cache could not hold the answer.
    let cached = null;
    try {
      cached = client.readQuery({ query: document });
    } catch (error) {
      cached = { readError: String(error) };
    }
    results.push({
      name,
      data: result.data != null,
      errors: (result.error ? [String(result.error)] : []),
      cacheComplete: cached != null && !("readError" in cached),
      sameAsNetwork: JSON.stringify(cached) === JSON.stringify(result.data),
    });
  }
  return results;
}

async function runUrql(client, order) {
  const results = [];
  for (const { name, document } of order) {
    const result = await client.query(document, {}, { requestPolicy: "network-only" }).toPromise();
    const cached = await client.query(document, {}, { requestPolicy: "cache-only" }).toPromise();
    results.push({
      name,
      data: result.data != null,
      errors: result.error ? [String(result.error)] : [],
      cacheComplete: cached.data != null && !cached.stale,
      sameAsNetwork: JSON.stringify(cached.data) === JSON.stringify(result.data),
    });
  }
  return results;
}

const report = { operations: operations.map((o) => o.name), apollo: {}, urql: {}, canary: {} };
const forwards = operations;
const backwards = [...operations].reverse();

// The configured clients: every operation forwards then backwards in one cache, so each answer
// is merged over every other one's.
{
  const client = apollo(config.apolloTypePolicies, config.apolloPossibleTypes);
  let results = [];
  report.apollo.warnings = await capture(async () => {
    results = [...(await runApollo(client, forwards)), ...(await runApollo(client, backwards))];
  });
  report.apollo.results = results;
  report.apollo.normalised = Object.keys(client.cache.extract()).filter((k) => k !== "ROOT_QUERY").length;
}
{
  const client = urql(config.urqlKeys);
  let results = [];
  report.urql.warnings = await capture(async () => {
    results = [...(await runUrql(client, forwards)), ...(await runUrql(client, backwards))];
  });
  report.urql.results = results;
}

// Canaries: the same clients without the configuration do warn, so a silent run above means the
// configuration works (and that this harness hears the warnings).
{
  const client = urql({});
  report.canary.urqlWithoutKeys = (await capture(() => runUrql(client, forwards))).length;
  const bare = apollo(undefined, undefined);
  const configured = apollo(config.apolloTypePolicies, config.apolloPossibleTypes);
  const first = parse('query PayA { occupation(id: "29-1141") { id wages { annual { median } } } }');
  const second = parse('query PayB { occupation(id: "29-1141") { id wages { hourly { median } } } }');
  report.canary.apolloWithoutTypePolicies = (
    await capture(async () => {
      await bare.query({ query: first });
      await bare.query({ query: second });
    })
  ).length;
  report.canary.apolloWithTypePolicies = (
    await capture(async () => {
      await configured.query({ query: first });
      await configured.query({ query: second });
    })
  ).length;
}

process.stdout.write(`${JSON.stringify(report)}\n`);
