// GraphQL Code Generator 6: the typed client for schema/operations/*.graphql.
// The client preset alone (no separate `typescript` plugin beside `typescript-operations`):
// with codegen 6 the two plugins each emit the schema's enums, and tsc fails with TS2567.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema/schema.graphql",
  documents: ["../schema/operations/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    "src/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false, gqlTagName: "graphql" },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        scalars: { ID: "string" },
      },
    },
  },
};

export default config;
