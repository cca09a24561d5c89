// Lints .cypher files with Neo4j's own Cypher language support
// (lintCypherQuery: syntax and semantic analysis) against Samverkan's graph
// schema. Every diagnostic, error or warning, fails the run.
//
//   node lint.mjs DIR...                 lint every .cypher file under DIRs
//   node lint.mjs --expect-fail DIR...   self-test: every file must be refused
//
// Each file declares its parameters in header comments, which become the
// parameters of the schema the file is checked against:
//
//   // params: $id: STRING, $props: MAP
//   // params: none
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const labels = ['Node', 'Actor', 'Project', 'Need', 'Competency', 'GraphVersion', 'SchemaVersion', 'Change', 'ExternalId'];

// from → to of every relationship type (DESIGN.md §1).
const graphSchema = [
  { from: 'Actor', to: 'Project', relType: 'PARTICIPATES_IN' },
  { from: 'Actor', to: 'Competency', relType: 'HAS_COMPETENCY' },
  { from: 'Actor', to: 'Need', relType: 'HAS_NEED' },
  { from: 'Need', to: 'Competency', relType: 'REQUIRES' },
  { from: 'Project', to: 'Need', relType: 'ADDRESSES' },
  { from: 'Actor', to: 'Actor', relType: 'MEMBER_OF' },
  { from: 'Actor', to: 'Actor', relType: 'PARTNERS_WITH' },
  // second version (DESIGN.md §1.1)
  { from: 'Actor', to: 'Actor', relType: 'PART_OF' },
  { from: 'Project', to: 'Project', relType: 'PART_OF' },
  { from: 'Actor', to: 'Actor', relType: 'SUPPLIES' },
  // an actor's external id helpers (internal/store/neo4j/externalids.go)
  { from: 'ExternalId', to: 'Actor', relType: 'IDENTIFIES' },
];
const relationshipTypes = [...new Set(graphSchema.map((g) => g.relType))];
// Every graph node also carries :Node, so each endpoint may be seen as one.
for (const { from, to, relType } of [...graphSchema]) {
  graphSchema.push({ from: 'Node', to, relType }, { from, to: 'Node', relType }, { from: 'Node', to: 'Node', relType });
}

const propertyKeys = [
  // every node
  'id', 'name', 'description', 'sources', 'createdAt', 'updatedAt',
  // labels
  'kind', 'sector', 'country', 'region', 'city', 'website', 'aliases', 'externalIds',
  'status', 'startDate', 'endDate', 'url', 'programme', 'priority', 'category', 'type',
  // helpers the store computes
  '_sortName', '_foldNames', '_foldRegion', '_foldCity', '_foldProgramme', '_text',
  '_foldNameText', '_nameWords', '_descWords', '_placeWords',
  // relationships
  'role', 'from', 'to', 'level', 'evidence', 'importance', 'since', 'amount', 'currency', 'basis', 'quote',
  '_foldRole', '_foldDescription',
  // version singletons
  'key', 'v', 'version', 'migratedAt',
  // change records
  'change',
];

const arg = (name, type, extra = {}) => ({ name, type, description: name, isDeprecated: false, ...extra });

function procedure(name, args, returns, mode = 'READ') {
  const sig = (list) => list.map((a) => `${a.name} :: ${a.type}`).join(', ');
  return {
    name,
    description: name,
    mode,
    worksOnSystem: false,
    argumentDescription: args,
    returnDescription: returns,
    signature: `${name}(${sig(args)}) :: (${sig(returns)})`,
    admin: false,
    option: { deprecated: false },
  };
}

function fn(name, args, returns, aggregating = false) {
  return {
    name,
    category: aggregating ? 'Aggregating' : 'Scalar',
    description: name,
    isBuiltIn: true,
    argumentDescription: args,
    returnDescription: returns,
    signature: `${name}(${args.map((a) => `${a.name} :: ${a.type}`).join(', ')}) :: ${returns}`,
    aggregating,
    isDeprecated: false,
  };
}

// Only what the store calls: anything else is reported, which catches typos.
const procedures = [
  procedure('db.index.fulltext.queryNodes',
    [arg('indexName', 'STRING'), arg('queryString', 'STRING'), arg('options', 'MAP', { default: 'DefaultParameterValue{value={}, type=MAP}' })],
    [arg('node', 'NODE'), arg('score', 'FLOAT')]),
  procedure('db.awaitIndexes', [arg('timeOutSeconds', 'INTEGER', { default: 'DefaultParameterValue{value=300, type=INTEGER}' })], []),
];
const functions = [
  fn('coalesce', [arg('input', 'ANY')], 'ANY'),
  fn('count', [arg('input', 'ANY')], 'INTEGER', true),
  fn('collect', [arg('input', 'ANY')], 'LIST<ANY>', true),
  fn('min', [arg('input', 'ANY')], 'ANY', true),
  fn('max', [arg('input', 'ANY')], 'ANY', true),
  fn('sum', [arg('input', 'ANY')], 'ANY', true),
  fn('toString', [arg('input', 'ANY')], 'STRING'),
  fn('size', [arg('input', 'LIST<ANY>')], 'INTEGER'),
  fn('labels', [arg('input', 'NODE')], 'LIST<STRING>'),
  fn('type', [arg('input', 'RELATIONSHIP')], 'STRING'),
  fn('startNode', [arg('input', 'RELATIONSHIP')], 'NODE'),
  fn('endNode', [arg('input', 'RELATIONSHIP')], 'NODE'),
  fn('split', [arg('original', 'STRING'), arg('splitDelimiter', 'STRING')], 'LIST<STRING>'),
  fn('range', [arg('start', 'INTEGER'), arg('end', 'INTEGER')], 'LIST<INTEGER>'),
  fn('elementId', [arg('input', 'ANY')], 'STRING'),
];
const byName = (list) => Object.fromEntries(list.map((x) => [x.name, x]));

// A sample value per declared type, so that the semantic analysis can type
// the parameters.
function sampleValue(type) {
  const t = type.toUpperCase();
  if (t.startsWith('LIST<MAP')) return [{}];
  if (t.startsWith('LIST')) return [''];
  switch (t) {
    case 'STRING': return '';
    case 'INTEGER': return 0;
    case 'FLOAT': return 0.5;
    case 'BOOLEAN': return false;
    case 'MAP': return {};
    default: return null;
  }
}

const paramDecl = /^\$([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([A-Z]+(?:<[A-Z]+>)?)$/;

// parseHeader reads the leading comment lines. It returns the declared
// parameters or the problems with the header (reported like diagnostics).
function parseHeader(text) {
  const params = {};
  const problems = [];
  let declared = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line.startsWith('//')) break;
    const m = line.match(/^\/\/\s*params:\s*(.*)$/);
    if (!m) continue;
    declared = true;
    const body = m[1].trim();
    if (body === 'none') continue;
    for (const part of body.split(',')) {
      const d = part.trim().match(paramDecl);
      if (!d) {
        problems.push({ line: i + 1, col: 1, message: `malformed parameter declaration "${part.trim()}" (want $name: TYPE)` });
        continue;
      }
      const value = sampleValue(d[2]);
      if (value === null) {
        problems.push({ line: i + 1, col: 1, message: `unknown parameter type ${d[2]}` });
        continue;
      }
      params[d[1]] = value;
    }
  }
  if (!declared) {
    problems.push({ line: 1, col: 1, message: 'missing header comment "// params: $name: TYPE, ..." (or "// params: none")' });
  }
  return { params, problems };
}

function cypherFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...cypherFiles(p));
    else if (name.endsWith('.cypher')) out.push(p);
  }
  return out;
}

function lintFile(file) {
  const text = readFileSync(file, 'utf8');
  const { params, problems } = parseHeader(text);
  const dbSchema = {
    labels,
    relationshipTypes,
    propertyKeys,
    graphSchema,
    parameters: params,
    procedures: { 'CYPHER 5': byName(procedures) },
    functions: { 'CYPHER 5': byName(functions) },
    defaultLanguage: 'CYPHER 5',
  };
  const found = [...problems];
  if (text.trim() === '' || text.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('//'))) {
    found.push({ line: 1, col: 1, message: 'file holds no statement' });
  }
  const { diagnostics } = lintCypherQuery(text, dbSchema);
  for (const d of diagnostics) {
    found.push({ line: d.range.start.line + 1, col: d.range.start.character + 1, message: d.message });
  }
  return found;
}

function main(argv) {
  const expectFail = argv.includes('--expect-fail');
  const dirs = argv.filter((a) => a !== '--expect-fail');
  if (dirs.length === 0) {
    console.error('usage: node lint.mjs [--expect-fail] DIR...');
    return 2;
  }
  const files = dirs.flatMap(cypherFiles);
  if (files.length === 0) {
    console.error(`no .cypher files under ${dirs.join(' ')}`);
    return 1;
  }
  let failed = false;
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    const found = lintFile(file);
    if (expectFail) {
      if (found.length === 0) {
        console.log(`${shown}: expected a diagnostic, got none`);
        failed = true;
      } else {
        console.log(`${shown}: refused as expected (${found[0].message.split('\n')[0]})`);
      }
      continue;
    }
    for (const f of found) {
      console.log(`${shown}:${f.line}:${f.col}: ${f.message.split('\n').join(' ')}`);
      failed = true;
    }
  }
  if (!expectFail && !failed) console.log(`${files.length} Cypher files lint clean`);
  return failed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
