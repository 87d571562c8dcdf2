// Runs the graphql-http package's GraphQL-over-HTTP server audits against a URL and prints
// one JSON line per audit, so the Python test can report exactly which ones fail.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  console.log(JSON.stringify({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null }));
}
