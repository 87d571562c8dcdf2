// GraphQL Code Generator 6: the typed client for schema/operations/*.graphql (src/generated/).
// The client preset alone: with codegen 6 the classic `typescript` + `typescript-operations` +
// `typed-document-node` trio emits each enum twice and tsc fails with TS2567; the preset
// generates each type once. Enums become string unions (`enumsAsTypes`), so the client adds no
// runtime code for them. CODEGEN_OUT lets the staleness check generate elsewhere and compare.
import type { CodegenConfig } from "@graphql-codegen/cli";

const out = process.env.CODEGEN_OUT ?? "src/generated";

const config: CodegenConfig = {
  schema: "../schema/schema.graphql",
  documents: ["../schema/operations/*.graphql"],
  ignoreNoDocuments: false,
  generates: {
    [`${out}/`]: {
      preset: "client",
      presetConfig: { fragmentMasking: false, gqlTagName: "graphql" },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        skipTypename: false,
        scalars: { ID: "string" },
      },
    },
    [`${out}/cache-types.ts`]: {
      plugins: ["./codegen/cache-types.cjs"],
    },
  },
};

export default config;
