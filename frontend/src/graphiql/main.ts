// GraphiQL 5 from npm, bundled: no CDN, so the playground works offline and under a strict CSP.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "./graphiql.css";

import { GraphiQL, type GraphiQLProps } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

interface ExampleOperation {
  name: string;
  query: string;
}

function readExamples(): ExampleOperation[] {
  const element = document.getElementById("careergraph-examples");
  const parsed: unknown = JSON.parse(element?.textContent ?? "[]");
  return Array.isArray(parsed) ? (parsed as ExampleOperation[]) : [];
}

// The endpoint is the page's own URL: GraphiQL is served by GET /graphql with Accept: text/html.
const endpoint = window.location.pathname;

const fetcher: GraphiQLProps["fetcher"] = async (params, options) => {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      accept: "application/graphql-response+json, application/json",
      "content-type": "application/json",
      ...(options?.headers ?? {}),
    },
    body: JSON.stringify(params),
  });
  return response.json();
};

const examples = readExamples();
const tabs = examples.map((example) => ({ query: example.query }));
const container = document.getElementById("graphiql");
if (container) {
  container.textContent = "";
  createRoot(container).render(
    createElement(GraphiQL, {
      fetcher,
      defaultQuery: tabs[0]?.query,
      defaultTabs: tabs.length > 0 ? tabs : undefined,
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true,
    }),
  );
}
