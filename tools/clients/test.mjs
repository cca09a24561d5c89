// Real third-party clients against a running Samverkan server (run.sh
// starts one on the seed dataset and passes its base URL):
//
//   - Apollo Client 4 runs a query with @defer over HTTP (multipart/mixed)
//     and over a websocket (graphql-ws), and gets the whole answer;
//   - the graphql-ws 6 client runs an operation right after one that failed
//     validation, on the same connection, and gets its result.
//
//   node --test test.mjs   (with SAMVERKAN_URL=http://127.0.0.1:8080/)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const base = process.env.SAMVERKAN_URL;
if (!base) {
  console.error('SAMVERKAN_URL is not set (run.sh sets it)');
  process.exit(2);
}
const httpURL = new URL('/graphql', base).href;
const wsURL = httpURL.replace(/^http/, 'ws');

const DEFERRED = gql`
  query CompareDeferred {
    actor(id: "compare") {
      id
      name
      ... @defer(label: "projects") {
        projects { role project { id name } }
      }
    }
  }
`;
const PLAIN = `{ actor(id: "compare") { id name projects { role project { id name } } } }`;

// The answer without @defer, over plain JSON, to compare with.
async function plainAnswer() {
  const res = await fetch(httpURL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: PLAIN }),
  });
  const body = await res.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  assert.ok(body.data.actor.projects.length > 0, 'Compare has projects in the seed dataset');
  return body.data;
}

// strip drops Apollo's __typename fields, which the plain answer lacks.
function strip(v) {
  if (Array.isArray(v)) return v.map(strip);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== '__typename').map(([k, x]) => [k, strip(x)]));
  }
  return v;
}

// run watches the query until Apollo has the last part (loading false:
// while parts are due it reports networkStatus 9, streaming) and returns
// every result it emitted.
function run(client, query) {
  return new Promise((resolve, reject) => {
    const seen = [];
    const timer = setTimeout(() => { sub.unsubscribe(); reject(new Error(`no complete result; saw ${JSON.stringify(seen)}`)); }, 30_000);
    const sub = client.watchQuery({ query, fetchPolicy: 'network-only' }).subscribe({
      next(result) {
        seen.push(result);
        if (result.error) {
          clearTimeout(timer); sub.unsubscribe(); reject(result.error);
        } else if (!result.loading) {
          clearTimeout(timer); sub.unsubscribe(); resolve(seen);
        }
      },
      error(err) { clearTimeout(timer); reject(err); },
    });
  });
}

const wsClients = [];
after(async () => { for (const c of wsClients) await c.dispose(); });

function wsClient(options = {}) {
  const c = createClient({ url: wsURL, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, ...options });
  wsClients.push(c);
  return c;
}

test('Apollo Client 4: @defer over HTTP (multipart/mixed)', async () => {
  const want = await plainAnswer();
  const contentTypes = [];
  const recordingFetch = async (url, init) => {
    const res = await fetch(url, init);
    contentTypes.push(res.headers.get('content-type'));
    return res;
  };
  const client = new ApolloClient({
    link: new HttpLink({ uri: httpURL, fetch: recordingFetch }),
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
  });
  const results = await run(client, DEFERRED);
  assert.deepEqual(strip(results.at(-1).data), want);
  assert.ok(results.some((r) => r.networkStatus === 9), 'Apollo saw the answer stream in');
  assert.equal(contentTypes.length, 1);
  assert.match(contentTypes[0], /^multipart\/mixed/, 'the deferred query was answered in parts');
  client.stop();
});

test('Apollo Client 4: @defer over a websocket (graphql-ws)', async () => {
  const want = await plainAnswer();
  const client = new ApolloClient({
    link: new GraphQLWsLink(wsClient()),
    cache: new InMemoryCache(),
    incrementalHandler: new Defer20220824Handler(),
  });
  const results = await run(client, DEFERRED);
  assert.deepEqual(strip(results.at(-1).data), want);
  assert.ok(results.some((r) => r.networkStatus === 9), 'Apollo saw the answer stream in');
  client.stop();
});

test('@defer over plain JSON is refused with a reason, not answered with nulls', async () => {
  const res = await fetch(httpURL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: DEFERRED.loc.source.body }),
  });
  const body = await res.json();
  assert.equal(body.data?.actor ?? null, null);
  assert.equal(body.errors?.length, 1, JSON.stringify(body));
  assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
  assert.equal(body.errors[0].extensions.reason, 'DEFER_NOT_DELIVERABLE');
});

// subscribe runs one operation on the graphql-ws client and reports how it
// ended: its results and either 'complete' or the error.
function subscribe(client, query) {
  return new Promise((resolve) => {
    const results = [];
    const timer = setTimeout(() => resolve({ results, end: 'no end within 30 s' }), 30_000);
    client.subscribe({ query }, {
      next: (r) => results.push(r),
      error: (err) => { clearTimeout(timer); resolve({ results, end: 'error', err }); },
      complete: () => { clearTimeout(timer); resolve({ results, end: 'complete' }); },
    });
  });
}

test('graphql-ws 6: an operation right after a failed one completes with its result', async () => {
  const client = wsClient();
  for (let round = 1; round <= 3; round++) {
    const failed = await subscribe(client, '{ actors { noSuchField } }');
    assert.equal(failed.end, 'error', `round ${round}: the invalid query ended with ${failed.end}`);
    assert.ok(Array.isArray(failed.err) && /noSuchField/.test(failed.err[0]?.message),
      `round ${round}: the error names the field: ${JSON.stringify(failed.err)}`);
    // Started as soon as the failure is known, on the same connection.
    const ok = await subscribe(client, '{ actor(id: "compare") { name } }');
    assert.equal(ok.end, 'complete', `round ${round}: the next operation ended with ${ok.end} ${JSON.stringify(ok.err ?? '')}`);
    assert.deepEqual(ok.results, [{ data: { actor: { name: 'Compare' } }, extensions: ok.results[0]?.extensions }]);
  }
});

test('graphql-ws 6: failed and good operations at once each end their own way', async () => {
  const client = wsClient();
  const runs = await Promise.all([
    subscribe(client, '{ actors { noSuchField } }'),
    subscribe(client, '{ actor(id: "compare") { name } }'),
    subscribe(client, '{ nope }'),
    subscribe(client, '{ actor(id: "karlstads-kommun") { name } }'),
  ]);
  assert.deepEqual(runs.map((r) => r.end), ['error', 'complete', 'error', 'complete']);
  assert.equal(runs[1].results[0].data.actor.name, 'Compare');
  assert.ok(runs[3].results[0].data.actor.name.length > 0);
});
