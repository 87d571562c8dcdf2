// A small typed GraphQL client over fetch for the generated documents (src/generated/).
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { getOperationAST, print } from "graphql";

/** One GraphQL error as careergraph sends it: every error has an `extensions.code`. */
export interface GraphQLErrorBody {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; suggestions?: string[]; [key: string]: unknown };
}

export interface GraphQLResult<TData> {
  data?: TData | null;
  errors?: GraphQLErrorBody[];
}

/** Run one operation: POST it to `endpoint` and return its typed data and errors. */
export async function request<TData, TVariables extends Record<string, unknown>>(
  endpoint: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  signal?: AbortSignal,
): Promise<GraphQLResult<TData>> {
  const operationName = getOperationAST(document)?.name?.value;
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      accept: "application/graphql-response+json, application/json",
      "content-type": "application/json",
    },
    body: JSON.stringify({ query: print(document), variables, operationName }),
    signal,
  });
  const body = (await response.json()) as GraphQLResult<TData>;
  if (!response.ok && body.data === undefined && !body.errors) {
    throw new Error(`GraphQL request failed with HTTP ${response.status}`);
  }
  return body;
}
