// Apollo Client 4's PersistedQueryLink against a live careergraph server (hash-only GET first,
// then registration), counting what went over the wire. Usage: node persisted_link.mjs URL
import { createHash } from "node:crypto";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const url = process.argv[2];
const wire = [];
const countingFetch = async (input, init) => {
  const target = new URL(typeof input === "string" ? input : input.url);
  const body = init && init.body ? JSON.parse(init.body) : null;
  const response = await fetch(input, init);
  const text = await response.clone().text();
  wire.push({
    method: (init && init.method) || "GET",
    hasQuery: body ? typeof body.query === "string" : target.searchParams.has("query"),
    status: response.status,
    code: (JSON.parse(text).errors || [{}])[0]?.extensions?.code ?? null,
  });
  return response;
};
const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const link = new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
  new HttpLink({ uri: url, fetch: countingFetch }),
);
const results = [];
for (const name of ["link-a", "link-b"]) {
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const result = await client.query({
    query: gql`query Greeting($n: String) { hello(name: $n) }`,
    variables: { n: name },
    fetchPolicy: "network-only",
  });
  results.push(result.data);
}
console.log(JSON.stringify({ results, wire }));
