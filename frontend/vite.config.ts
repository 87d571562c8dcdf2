// Builds the bundled GraphiQL and the /compare page into graphql_api/static/ (shipped in the
// Python package). Output is deterministic (content-hashed names, no source maps, no inlined
// data: URIs) so CI can rebuild and compare byte for byte: see scripts/build_frontend.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig, type Plugin } from "vite";

const OPERATIONS = "../schema/operations";

/** Ship the example operations with the package, so an installed wheel still opens them as tabs. */
function exampleOperations(): Plugin {
  return {
    name: "careergraph-example-operations",
    generateBundle() {
      for (const name of readdirSync(OPERATIONS).filter((f) => f.endsWith(".graphql")).sort()) {
        this.emitFile({
          type: "asset",
          fileName: `operations/${name}`,
          source: readFileSync(join(OPERATIONS, name), "utf8"),
        });
      }
    },
  };
}

export default defineConfig({
  base: "/static/",
  logLevel: "warn",
  plugins: [exampleOperations()],
  build: {
    outDir: "../graphql_api/static",
    emptyOutDir: true,
    // Fonts and images as files: the pages' Content-Security-Policy allows no data: fonts.
    assetsInlineLimit: 0,
    sourcemap: false,
    // GraphiQL 5 bundles the Monaco editor: a large chunk is expected.
    chunkSizeWarningLimit: 8000,
    // The licences of every npm package in the bundles, beside them.
    license: { fileName: "THIRD_PARTY_LICENSES.md" },
    rollupOptions: {
      input: { graphiql: "graphiql.html", compare: "compare.html" },
      onwarn(warning, warn) {
        // framer-motion's "use client" marks React server components; nothing here renders on a server.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
  worker: { format: "es" },
});
