// The normalised-cache configuration a careergraph client needs, for Apollo Client 4 and urql
// graphcache, derived from the schema (src/generated/cache-types.ts) so it cannot drift from it.
//
// Entities (Area, Group, Industry, Occupation, Skill) have a global `id`: both caches key them as
// `Type:id` by default, so the example operations select `id` wherever a type has one.
// Every other object type is a value inside its parent (wages, outlook, a connection page...).
// The data is read-only per snapshot, so two answers for the same parent field never disagree:
// Apollo may merge such values field by field (`merge: true`) instead of replacing them, which is
// what its "Cache data may be lost when replacing the ... field" warning asks for; graphcache
// must be told they have no key (`keys: { Type: () => null }`), or it warns that "no key could be
// generated" for each of them.
import { embeddedTypes, entityTypes, possibleTypes } from "./generated/cache-types";

export { embeddedTypes, entityTypes, possibleTypes };

/** Apollo `InMemoryCache({ typePolicies, possibleTypes })` type policies. */
export const apolloTypePolicies: Record<string, { merge?: boolean; keyFields?: string[] }> = {
  ...Object.fromEntries(entityTypes.map((name) => [name, { keyFields: ["id"] }])),
  ...Object.fromEntries(embeddedTypes.map((name) => [name, { merge: true }])),
};

/** Apollo `possibleTypes` (interface and union members), as a mutable copy. */
export const apolloPossibleTypes: Record<string, string[]> = Object.fromEntries(
  Object.entries(possibleTypes).map(([name, members]) => [name, [...members]]),
);

/** urql graphcache `cacheExchange({ keys })`: embedded types have no key. */
export const urqlKeys: Record<string, () => null> = Object.fromEntries(
  embeddedTypes.map((name) => [name, () => null]),
);
