// The explorer talks to the server only through its GraphQL API, on the
// same origin. An API key, when the server wants one for reads, is kept
// for the tab only (sessionStorage).

const KEY_STORAGE = 'samverkan:explorer:key';

export function apiKey() {
  return sessionStorage.getItem(KEY_STORAGE) || '';
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

// GraphQLError carries the server's errors; message is what the page shows.
export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
    this.code = errors[0]?.extensions?.code;
  }
}

export async function gql(query, variables = {}) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let res;
  try {
    res = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  } catch (e) {
    throw new Error(`The server did not answer (${e.message}).`);
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`The server answered ${res.status} without a GraphQL response.`);
  }
  if (body.errors && body.errors.length > 0) throw new GraphQLError(body.errors);
  return body.data;
}

// The root fields and their arguments, so that the page offers what this
// server has (needsFor, measures, communities, asOf) and nothing it lacks.
export async function capabilities() {
  const data = await gql(`query ExplorerCapabilities {
    __schema { queryType { fields { name args { name } } } }
  }`);
  const fields = new Map();
  for (const f of data.__schema.queryType.fields) fields.set(f.name, new Set(f.args.map((a) => a.name)));
  return {
    has: (field) => fields.has(field),
    hasArg: (field, arg) => fields.get(field)?.has(arg) ?? false,
  };
}
