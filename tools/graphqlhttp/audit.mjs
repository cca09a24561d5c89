// Runs graphql-http's GraphQL-over-HTTP server audits against a running
// server and prints one line per audit: id, status, name (and the reason
// of a failure). Exits 1 when any MUST or SHOULD audit fails; a failed MAY
// audit is printed but tolerated (the spec leaves it optional).
//
//   node audit.mjs http://127.0.0.1:8080/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url || process.argv.length > 3) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const counts = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] }; // [passed, failed]
let blocking = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const level = audit.name.split(' ')[0];
  const ok = result.status === 'ok';
  counts[level][ok ? 0 : 1]++;
  if (!ok && level !== 'MAY') blocking++;
  let line = `${audit.id}  ${result.status.padEnd(6)}  ${audit.name}`;
  if (!ok) {
    let body = '';
    try {
      body = await result.response.text();
    } catch {
      // The body may already have been read by the audit itself.
    }
    line += `\n        reason: ${result.reason}` +
      `\n        response: ${result.response.status} ${result.response.headers.get('content-type') ?? ''} ${body.slice(0, 300)}`;
  }
  console.log(line);
}

for (const [level, [passed, failed]] of Object.entries(counts)) {
  console.log(`${level}: ${passed} of ${passed + failed} passed`);
}
if (blocking > 0) {
  console.error(`${blocking} MUST/SHOULD audit(s) failed`);
  process.exit(1);
}
