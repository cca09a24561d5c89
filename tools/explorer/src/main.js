// The explorer at /explore: a neighbourhood drawn with sigma.js over a
// graphology graph, and the analytics of the API beside it (paths, need
// matching, brokers, measures, communities). Everything comes from the
// GraphQL API; nothing is loaded from another origin.
import Graph from 'graphology';
import Sigma from 'sigma';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import { circular } from 'graphology-layout';
import { write as writeGEXF } from 'graphology-gexf/browser';
import { toBlob } from '@sigma/export-image';
import { gql, capabilities, apiKey, setApiKey } from './api.js';

const $ = (id) => document.getElementById(id);
const VIA = ['PARTICIPATION', 'MEMBERSHIP', 'PARTNERSHIP', 'COMPETENCY', 'NEED', 'SUPPLY'];
const DEFAULT_VIA = ['PARTICIPATION', 'MEMBERSHIP', 'PARTNERSHIP'];
const KINDS = ['MUNICIPALITY', 'REGION', 'STATE_AGENCY', 'COMPANY', 'CLUSTER', 'RESEARCH', 'ARENA', 'NGO', 'FUNDER', 'NETWORK', 'PERSON'];
const NEIGHBOURHOOD_LIMIT = 2000;

// Colours by label, and actors by sector; each has a text name in the legend.
const COLOURS = {
  PUBLIC: ['#1f5fbf', 'public actor'],
  PRIVATE: ['#c25400', 'private actor'],
  ACADEMIC: ['#2e7d32', 'academic actor'],
  CIVIL: ['#7b3fa0', 'civil-society actor'],
  Project: ['#5f6b7a', 'project'],
  Need: ['#c62828', 'need'],
  Competency: ['#00838f', 'competency'],
};
const DIM = '#d5d9de';
const HIGHLIGHT_EDGE = '#111111';

const NODE_FIELDS = `__typename id name
  ... on Actor { kind sector country city }
  ... on Project { type status startDate endDate }
  ... on Need { needStatus: status priority }
  ... on Competency { category }`;

const graph = new Graph({ multi: true, type: 'directed' });
let renderer = null;
let caps = null;
let selected = null;
let highlight = null; // { nodes: Set, edges: Set } of a drawn path or match
let sizeValues = new Map();
const excluded = new Map(); // id -> name, for the path finder

// ---- status and errors

function say(message, isError = false) {
  const s = $('status');
  s.textContent = message;
  s.className = isError ? 'error' : '';
}

async function attempt(what, fn) {
  say(`${what}…`);
  try {
    await fn();
    say(`${what}: done.`);
  } catch (e) {
    say(`${what} failed: ${e.message}`, true);
  }
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// ---- tabs (arrow keys move between them, as the ARIA pattern asks)

function setupTabs() {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  const show = (tab) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !on;
    }
  };
  tabs.forEach((t, i) => {
    t.addEventListener('click', () => show(t));
    t.addEventListener('keydown', (e) => {
      const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
      if (!d) return;
      const next = tabs[(i + d + tabs.length) % tabs.length];
      show(next);
      next.focus();
      e.preventDefault();
    });
  });
}

// ---- type-ahead: the API's search, diacritic-insensitive on the server

function combobox(inputId, onPick, types) {
  const input = $(inputId);
  const list = $(`${inputId}-options`);
  let hits = [];
  let active = -1;
  let timer = null;
  let seq = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const mark = () => {
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
    if (active >= 0) input.setAttribute('aria-activedescendant', list.children[active].id);
  };
  const pick = (i) => {
    const hit = hits[i];
    if (!hit) return;
    input.value = hit.name;
    input.dataset.id = hit.id;
    close();
    onPick(hit);
  };
  input.addEventListener('input', () => {
    delete input.dataset.id;
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) return close();
    timer = setTimeout(async () => {
      const mine = ++seq;
      try {
        const data = await gql(`query ExplorerSearch($text: String!, $types: [NodeType!]) {
          search(text: $text, types: $types, first: 8) { score node { ${NODE_FIELDS} } } }`, { text, types: types ?? null });
        if (mine !== seq) return;
        hits = data.search.map((h) => h.node);
        list.replaceChildren(...hits.map((n, i) => el('li', {
          id: `${inputId}-opt-${i}`, role: 'option', 'aria-selected': 'false',
          onmousedown: (e) => { e.preventDefault(); pick(i); },
        }, el('span', { text: n.name }), el('span', { class: 'hint', text: ` ${describeKind(n)}` }))));
        if (hits.length === 0) list.replaceChildren(el('li', { role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false', text: 'No match' }));
        list.hidden = false;
        input.setAttribute('aria-expanded', 'true');
        active = -1;
      } catch (e) {
        say(`Search failed: ${e.message}`, true);
      }
    }, 150);
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { active = Math.min(active + 1, hits.length - 1); mark(); e.preventDefault(); }
    else if (e.key === 'ArrowUp') { active = Math.max(active - 1, 0); mark(); e.preventDefault(); }
    else if (e.key === 'Enter') { pick(active >= 0 ? active : 0); e.preventDefault(); }
    else if (e.key === 'Escape') close();
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
}

function describeKind(n) {
  if (n.__typename === 'Actor') return `${n.kind.toLowerCase().replace('_', ' ')}, ${n.sector.toLowerCase()}${n.country ? `, ${n.country}` : ''}`;
  if (n.__typename === 'Project') return `${(n.type || 'project').toLowerCase()}`;
  return n.__typename.toLowerCase();
}

function viaBoxes(fieldsetId, checked) {
  const fs = $(fieldsetId);
  for (const v of VIA) {
    const id = `${fieldsetId}-${v}`;
    fs.append(el('label', { for: id }, el('input', { type: 'checkbox', id, value: v, checked: checked.includes(v) }), ` ${v.toLowerCase()}`));
  }
}

function checkedValues(fieldsetId) {
  return [...$(fieldsetId).querySelectorAll('input:checked')].map((i) => i.value);
}

// ---- the graph

function colourOf(n) {
  if (n.__typename === 'Actor') return COLOURS[n.sector]?.[0] ?? COLOURS.PUBLIC[0];
  return COLOURS[n.__typename]?.[0] ?? '#555';
}

function addNode(n, near) {
  if (graph.hasNode(n.id)) {
    graph.mergeNodeAttributes(n.id, { data: { ...graph.getNodeAttribute(n.id, 'data'), ...n } });
    return false;
  }
  let x = Math.random();
  let y = Math.random();
  if (near && graph.hasNode(near)) {
    const a = graph.getNodeAttributes(near);
    x = a.x + (Math.random() - 0.5);
    y = a.y + (Math.random() - 0.5);
  }
  graph.addNode(n.id, { label: n.name, x, y, size: 5, color: colourOf(n), data: n });
  return true;
}

function addEdge(type, from, to, properties) {
  const key = `${from}.${type}.${to}`;
  if (!graph.hasNode(from) || !graph.hasNode(to) || graph.hasEdge(key)) return;
  graph.addDirectedEdgeWithKey(key, from, to, { type: 'arrow', label: type, relType: type, size: 1.5, color: '#9aa3ad', properties: properties ?? {} });
}

// layout places a neighbourhood in rings by distance from its centre, each
// node near the neighbour that reached it, then lets ForceAtlas2 settle it
// for a number of iterations that keeps 2,000 nodes under a second.
function layout(fresh, distances) {
  const n = graph.order;
  if (n === 0) return;
  if (fresh && distances) rings(distances);
  else if (fresh) circular.assign(graph, { scale: 10 });
  const settings = forceAtlas2.inferSettings(graph);
  settings.barnesHutOptimize = n > 300;
  forceAtlas2.assign(graph, { iterations: n > 1000 ? 15 : n > 300 ? 40 : 120, settings });
}

function rings(distances) {
  const byRing = [];
  for (const [id, d] of distances) (byRing[d] ??= []).push(id);
  const angle = new Map();
  byRing.forEach((ids, d) => {
    if (d === 0) { ids.forEach((id) => angle.set(id, 0)); return; }
    // Order the ring by the angle of the closer neighbour that reached it.
    const parent = (id) => {
      for (const m of graph.neighbors(id)) if (distances.get(m) === d - 1 && angle.has(m)) return angle.get(m);
      return 0;
    };
    const keyed = ids.map((id) => [parent(id), id]).sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1));
    keyed.forEach(([, id], i) => angle.set(id, (2 * Math.PI * i) / keyed.length));
  });
  for (const [id, d] of distances) {
    if (!graph.hasNode(id)) continue;
    const a = angle.get(id) ?? 0;
    const r = d * 10 * Math.sqrt(byRing[d].length / 6 + 1);
    graph.mergeNodeAttributes(id, { x: r * Math.cos(a) + Math.random() * 0.1, y: r * Math.sin(a) + Math.random() * 0.1 });
  }
}

function applySizes() {
  const by = $('size-by').value;
  let values = sizeValues;
  if (by === 'DEGREE' || values.size === 0) values = new Map(graph.nodes().map((id) => [id, graph.degree(id)]));
  let max = 0;
  let min = Infinity;
  for (const id of graph.nodes()) {
    const v = values.get(id);
    if (v === undefined) continue;
    max = Math.max(max, v);
    min = Math.min(min, v);
  }
  const invert = by === 'CONSTRAINT' && sizeValues.size > 0; // low constraint: a broker, drawn large
  for (const id of graph.nodes()) {
    const v = values.get(id);
    let t = 0;
    if (v !== undefined && max > min) t = (v - min) / (max - min);
    else if (v !== undefined && max > 0) t = 1;
    if (invert && v !== undefined) t = 1 - t;
    graph.setNodeAttribute(id, 'size', 4 + 14 * Math.sqrt(t));
  }
}

async function loadSizes() {
  const by = $('size-by').value;
  sizeValues = new Map();
  if (by === 'DEGREE') return;
  if (caps.has('measures')) {
    const data = await gql(`query ExplorerSizes($by: Measure!) { measures(by: $by, first: 100) { value actor { id } } }`, { by });
    for (const r of data.measures) if (r.value !== null) sizeValues.set(r.actor.id, r.value);
  } else if (by === 'BETWEENNESS') {
    const data = await gql(`query ExplorerSizes { brokers(first: 100) { brokers { score actor { id } } } }`);
    for (const b of data.brokers.brokers) sizeValues.set(b.actor.id, b.score);
  } else {
    throw new Error('this server has no measures field, so constraint is not available; sizes show degree');
  }
}

function draw(fresh, distances) {
  const t0 = performance.now();
  layout(fresh, distances);
  applySizes();
  const t1 = performance.now();
  if (!renderer) {
    renderer = new Sigma(graph, $('graph'), {
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 6,
      defaultEdgeType: 'arrow',
      nodeReducer: (id, a) => {
        const r = { ...a };
        if (highlight && !highlight.nodes.has(id)) { r.color = DIM; r.label = ''; }
        if (highlight && highlight.nodes.has(id)) r.forceLabel = true;
        if (id === selected) { r.highlighted = true; r.forceLabel = true; }
        return r;
      },
      edgeReducer: (id, a) => {
        const r = { ...a };
        if (highlight) {
          if (highlight.edges.has(id)) { r.color = HIGHLIGHT_EDGE; r.size = 3; } else { r.color = '#eceff2'; }
        }
        return r;
      },
    });
    renderer.on('clickNode', ({ node }) => select(node));
    renderer.on('doubleClickNode', ({ node, event }) => { event.preventSigmaDefault(); expand(node); });
  } else {
    renderer.refresh();
  }
  const ms = performance.now() - t0;
  window.explorerStats = { nodes: graph.order, edges: graph.size, layoutAndDrawMs: ms, layoutMs: t1 - t0 };
  describeView();
}

function describeView() {
  const g = $('graph');
  g.setAttribute('aria-label', graph.order === 0
    ? 'The graph is empty: search for an actor to see its neighbourhood.'
    : `Graph of ${graph.order} nodes and ${graph.size} relationships; the list "Nodes in the view" below has the same nodes.`);
  const items = graph.nodes()
    .map((id) => graph.getNodeAttribute(id, 'data'))
    .sort((a, b) => a.name.localeCompare(b.name));
  $('in-view-list').replaceChildren(...items.map((n) => el('li', {},
    el('button', { class: 'link', onclick: () => select(n.id) }, n.name),
    el('span', { class: 'hint', text: ` ${describeKind(n)}, ${graph.degree(n.id)} relationships in view` }))));
  $('in-view').querySelector('summary').textContent = `Nodes in the view, as a list (${graph.order})`;
}

function legend() {
  $('legend').replaceChildren(...Object.values(COLOURS).map(([c, name]) =>
    el('span', { class: 'swatch' }, dot(c), ` ${name}`)));
}

// The CSP forbids style attributes; a property set from script is allowed.
function dot(colour) {
  const d = el('span', { class: 'dot', 'aria-hidden': 'true' });
  d.style.background = colour;
  return d;
}

async function loadNeighbourhood(id, depth, merge) {
  const via = checkedValues('explore-via');
  const data = await gql(`query ExplorerNeighbourhood($id: ID!, $depth: Int, $via: [Via!], $limit: Int) {
    neighborhood(id: $id, depth: $depth, via: $via, limit: $limit) {
      truncated
      nodes { distance node { ${NODE_FIELDS} } }
      edges { type fromId toId properties { role from to level evidence importance since description } }
    } }`, { id, depth, via: via.length ? via : null, limit: NEIGHBOURHOOD_LIMIT });
  const sub = data.neighborhood;
  if (!merge) { graph.clear(); highlight = null; }
  for (const { node } of sub.nodes) addNode(node, merge ? id : null);
  for (const e of sub.edges) addEdge(e.type, e.fromId, e.toId, e.properties);
  draw(!merge, merge ? null : new Map(sub.nodes.map((x) => [x.node.id, x.distance])));
  if (sub.truncated) say(`The neighbourhood has more than ${NEIGHBOURHOOD_LIMIT} nodes; the closest are shown.`);
  return sub;
}

async function expand(id) {
  await attempt('Expanding', () => loadNeighbourhood(id, 1, true));
}

// ---- the selection: facts, sources, basis, relationships with properties

const REL_FIELDS = 'basis quote sources';
const SELECTION_QUERY = `query ExplorerSelection($id: ID!) { node(id: $id) {
  __typename id name description sources
  ... on Actor { kind sector country region city website aliases
    projects { role from to amount currency ${REL_FIELDS} project { id name } }
    competencies { level evidence ${REL_FIELDS} competency { id name } }
    needs { ${REL_FIELDS} need { id name } }
    memberOf { role from to ${REL_FIELDS} organisation { id name } }
    members { role from to ${REL_FIELDS} member { id name } }
    partnerships { from to description ${REL_FIELDS} actor { id name } partner { id name } }
    partOf { from to ${REL_FIELDS} whole { id name } }
    parts { from to ${REL_FIELDS} part { id name } }
    supplies { from to description ${REL_FIELDS} client { id name } }
    suppliers { from to description ${REL_FIELDS} supplier { id name } } }
  ... on Project { type status startDate endDate url programme country region city aliases
    participants { role from to amount currency ${REL_FIELDS} actor { id name } }
    addresses { ${REL_FIELDS} need { id name } } }
  ... on Need { needStatus: status priority
    owners { ${REL_FIELDS} actor { id name } }
    requires { importance ${REL_FIELDS} competency { id name } }
    addressedBy { ${REL_FIELDS} project { id name } } }
  ... on Competency { category aliases
    holders { level evidence ${REL_FIELDS} actor { id name } }
    requiredBy { importance ${REL_FIELDS} need { id name } } }
} }`;

function relationshipsOf(n) {
  // [group title, list, the other end of each, property names]
  const me = (r, a, b) => (r[a]?.id === n.id ? r[b] : r[a]);
  const groups = {
    Actor: [
      ['Projects', n.projects, (r) => r.project, ['role', 'from', 'to', 'amount', 'currency']],
      ['Competencies', n.competencies, (r) => r.competency, ['level', 'evidence']],
      ['Needs owned', n.needs, (r) => r.need, []],
      ['Member of', n.memberOf, (r) => r.organisation, ['role', 'from', 'to']],
      ['Members', n.members, (r) => r.member, ['role', 'from', 'to']],
      ['Partnerships', n.partnerships, (r) => me(r, 'actor', 'partner'), ['from', 'to', 'description']],
      ['Part of', n.partOf, (r) => r.whole, ['from', 'to']],
      ['Parts', n.parts, (r) => r.part, ['from', 'to']],
      ['Supplies', n.supplies, (r) => r.client, ['from', 'to', 'description']],
      ['Suppliers', n.suppliers, (r) => r.supplier, ['from', 'to', 'description']],
    ],
    Project: [
      ['Participants', n.participants, (r) => r.actor, ['role', 'from', 'to', 'amount', 'currency']],
      ['Addresses', n.addresses, (r) => r.need, []],
    ],
    Need: [
      ['Owners', n.owners, (r) => r.actor, []],
      ['Requires', n.requires, (r) => r.competency, ['importance']],
      ['Addressed by', n.addressedBy, (r) => r.project, []],
    ],
    Competency: [
      ['Holders', n.holders, (r) => r.actor, ['level', 'evidence']],
      ['Required by', n.requiredBy, (r) => r.need, ['importance']],
    ],
  };
  return groups[n.__typename] ?? [];
}

const FACTS = ['kind', 'sector', 'country', 'region', 'city', 'website', 'type', 'status', 'needStatus', 'startDate', 'endDate', 'url', 'programme', 'priority', 'category'];
const FACT_NAMES = { needStatus: 'status', startDate: 'start', endDate: 'end' };

async function select(id) {
  selected = id;
  $('expand').disabled = false;
  renderer?.refresh();
  await attempt('Loading the selection', async () => {
    const { node: n } = await gql(SELECTION_QUERY, { id });
    if (!n) throw new Error('the node no longer exists');
    const body = [el('h3', { text: n.name }), el('p', { class: 'hint', text: `${n.__typename} ${n.id}` })];
    if (n.description) body.push(el('p', { text: n.description }));
    const facts = el('dl', { class: 'facts' });
    for (const f of FACTS) {
      if (n[f] === undefined || n[f] === null || n[f] === '') continue;
      facts.append(el('dt', { text: FACT_NAMES[f] ?? f }), el('dd', { text: String(n[f]) }));
    }
    if (n.aliases?.length) facts.append(el('dt', { text: 'aliases' }), el('dd', { text: n.aliases.join(', ') }));
    body.push(facts);
    body.push(el('h4', { text: 'Sources' }), sourcesList(n.sources));
    for (const [title, list, other, props] of relationshipsOf(n)) {
      if (!list || list.length === 0) continue;
      const ul = el('ul', { class: 'rels' });
      for (const r of list) {
        const o = other(r);
        const details = props.filter((p) => r[p] !== null && r[p] !== undefined && r[p] !== '').map((p) => `${p} ${r[p]}`);
        details.push(`basis ${r.basis.toLowerCase()}`);
        ul.append(el('li', {},
          el('button', { class: 'link', onclick: () => focusNode(o.id) }, o.name),
          el('span', { class: 'hint', text: ` — ${details.join(', ')}` }),
          r.quote ? el('q', { text: r.quote }) : null,
          r.sources.length ? sourcesList(r.sources) : null));
      }
      body.push(el('h4', { text: `${title} (${list.length})` }), ul);
    }
    $('selection-empty').hidden = true;
    $('selection-body').replaceChildren(...body);
  });
}

function sourcesList(sources) {
  if (!sources || sources.length === 0) return el('p', { class: 'hint', text: 'no source given' });
  return el('ul', { class: 'sources' }, ...sources.map((s) => el('li', {},
    /^https?:\/\//.test(s) ? el('a', { href: s, rel: 'noopener noreferrer', target: '_blank' }, s) : s)));
}

// focusNode selects a node, adding its neighbourhood when it is not drawn.
async function focusNode(id) {
  if (!graph.hasNode(id)) await attempt('Adding it to the graph', () => loadNeighbourhood(id, 1, graph.order > 0));
  await select(id);
}

// ---- path finder

async function findPaths() {
  const from = $('path-from').dataset.id;
  const to = $('path-to').dataset.id;
  if (!from || !to) { say('Pick both ends of the path from the search results.', true); return; }
  await attempt('Finding paths', async () => {
    const via = checkedValues('path-via');
    const data = await gql(`query ExplorerPaths($from: ID!, $to: ID!, $k: Int, $maxHops: Int, $via: [Via!], $excludeIds: [ID!]) {
      partnershipPaths(from: $from, to: $to, k: $k, maxHops: $maxHops, via: $via, excludeIds: $excludeIds) {
        length summary nodes { ${NODE_FIELDS} } steps { type forward from { id } to { id } } } }`, {
      from, to, k: Number($('path-k').value), maxHops: Number($('path-hops').value),
      via: via.length ? via : null, excludeIds: [...excluded.keys()],
    });
    const paths = data.partnershipPaths;
    const out = $('paths-result');
    if (paths.length === 0) {
      out.replaceChildren(el('p', { text: 'No path within these hops and groups.' }));
      return;
    }
    const nodes = new Set();
    const edges = new Set();
    const fresh = graph.order === 0;
    for (const p of paths) {
      for (const n of p.nodes) { addNode(n); nodes.add(n.id); }
      for (const s of p.steps) {
        addEdge(s.type, s.from.id, s.to.id);
        edges.add(`${s.from.id}.${s.type}.${s.to.id}`);
      }
    }
    highlight = { nodes, edges };
    draw(fresh);
    out.replaceChildren(el('ol', { class: 'paths' }, ...paths.map((p) => el('li', {},
      el('strong', { text: `${p.length} ${p.length === 1 ? 'step' : 'steps'}: ` }),
      el('span', { text: p.nodes.map((n) => n.name).join(' → ') }),
      el('p', { class: 'summary', text: p.summary })))),
    el('button', { onclick: () => { highlight = null; renderer?.refresh(); } }, 'Stop highlighting'));
  });
}

// ---- need matcher, and the reverse for an actor

async function loadNeeds() {
  const data = await gql(`query ExplorerNeeds { needs(first: 100) { edges { node { id name status priority } } } }`);
  if (data.needs.edges.length === 0) $('need').append(el('option', { value: '' }, 'no needs in the graph'));
  $('need').replaceChildren(...data.needs.edges.map(({ node }) =>
    el('option', { value: node.id }, `${node.name} (${node.status.toLowerCase().replace('_', ' ')}, priority ${node.priority})`)));
}

function competencies(list, withLevel) {
  if (list.length === 0) return '—';
  return list.map((c) => `${c.competency.name} (importance ${c.importance}${withLevel ? `, level ${c.level}` : ''})`).join('; ');
}

function table(caption, head, rows) {
  return el('table', {},
    el('caption', { text: caption }),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))));
}

function actorButton(a) {
  return el('button', { class: 'link', onclick: () => focusNode(a.id) }, a.name);
}

async function matchNeed() {
  const needId = $('need').value;
  if (!needId) { say('There is no need to match.', true); return; }
  await attempt('Matching the need', async () => {
    const data = await gql(`query ExplorerMatch($needId: ID!) {
      matchNeed(needId: $needId, first: 10) { coverage distance actor { id name kind sector }
        covered { importance level competency { name } } missing { importance competency { name } } }
      suggestConsortium(needId: $needId) { coverage members { actor { id name } adds { competency { name } } }
        missing { importance competency { name } } } }`, { needId });
    const m = data.matchNeed;
    const c = data.suggestConsortium;
    $('need-result').replaceChildren(
      table('Candidates', ['Actor', 'Coverage', 'Distance', 'Covered', 'Missing'], m.map((r) => [
        actorButton(r.actor), `${Math.round(r.coverage * 100)}%`, r.distance === null ? 'not connected' : String(r.distance),
        competencies(r.covered, true), competencies(r.missing, false)])),
      el('h3', { text: `Suggested consortium: ${Math.round(c.coverage * 100)}% covered` }),
      el('ul', {}, ...c.members.map((mm) => el('li', {}, actorButton(mm.actor),
        el('span', { text: ` adds ${mm.adds.map((a) => a.competency.name).join(', ') || 'nothing new'}` })))),
      el('p', { text: `Still missing: ${competencies(c.missing, false)}` }));
    // The need and its candidates on the graph.
    graph.clear();
    await loadNeighbourhood(needId, 1, false);
    const nodes = new Set([needId]);
    for (const r of m) { addNode(r.actor, needId); nodes.add(r.actor.id); }
    highlight = { nodes, edges: new Set() };
    draw(false);
  });
}

async function needsFor() {
  const id = $('fit-actor').dataset.id;
  if (!id) { say('Pick an actor from the search results.', true); return; }
  if (!caps.has('needsFor')) {
    $('fit-result').replaceChildren(el('p', { text: 'This server does not answer needsFor or introductions yet.' }));
    return;
  }
  await attempt('Finding needs and introductions', async () => {
    const data = await gql(`query ExplorerFit($id: ID!) {
      needsFor(actorId: $id, first: 10) { coverage distance need { id name priority } missing { importance competency { name } } }
      ${caps.has('introductions') ? `introductions(actorId: $id, first: 10) { coverage direction distance actor { id name } need { id name }
        competencies { competency { name } } path { length summary } }` : ''} }`, { id });
    const parts = [table('Needs it could meet', ['Need', 'Coverage', 'Distance', 'Missing'], data.needsFor.map((r) => [
      el('button', { class: 'link', onclick: () => focusNode(r.need.id) }, r.need.name), `${Math.round(r.coverage * 100)}%`,
      r.distance === null ? 'not connected' : String(r.distance), competencies(r.missing, false)]))];
    if (data.introductions) {
      parts.push(table('Introductions', ['Meet', 'Why', 'Coverage', 'Warm path'], data.introductions.map((r) => [
        actorButton(r.actor), `${r.direction.toLowerCase().replaceAll('_', ' ')}: ${r.need.name} (${r.competencies.map((c) => c.competency.name).join(', ')})`,
        `${Math.round(r.coverage * 100)}%`, r.path ? r.path.summary : 'no warm path within 6 steps'])));
    }
    $('fit-result').replaceChildren(...parts);
  });
}

// ---- brokers, measures, communities

function networkArgs(field) {
  const kinds = checkedValues('net-kinds');
  const vars = { first: Number($('net-first').value), scope: $('net-scope').value };
  if (field !== 'communities') vars.kinds = kinds.length ? kinds : null;
  const asOf = $('net-asof').value;
  if (asOf && caps.hasArg(field, 'asOf')) vars.asOf = asOf;
  return vars;
}

function rowFilter(actor) {
  const sector = $('net-sector').value;
  const country = $('net-country').value.trim().toUpperCase();
  return (!sector || actor.sector === sector) && (!country || actor.country === country);
}

async function networkTable() {
  const view = $('net-view').value;
  await attempt(`Computing ${view}`, async () => {
    const out = $('net-result');
    if (view === 'brokers') {
      const v = networkArgs('brokers');
      const data = await gql(`query ExplorerBrokers($first: Int, $kinds: [ActorKind!], $scope: Scope${v.asOf ? ', $asOf: Date' : ''}) {
        brokers(first: $first, kinds: $kinds, scope: $scope${v.asOf ? ', asOf: $asOf' : ''}) { exact samples actorCount
          brokers { score normalized actor { id name kind sector country } } } }`, v);
      const b = data.brokers;
      const rows = b.brokers.filter((r) => rowFilter(r.actor));
      out.replaceChildren(table(`Brokers (${b.exact ? 'exact' : `sampled from ${b.samples} sources`}, ${b.actorCount} actors)`,
        ['Actor', 'Kind', 'Sector', 'Country', 'Betweenness', 'Normalised'], rows.map((r) => [actorButton(r.actor), r.actor.kind, r.actor.sector,
          r.actor.country ?? '—', r.score.toFixed(2), r.normalized.toFixed(4)])));
    } else if (view === 'measures') {
      const v = networkArgs('measures');
      v.by = $('net-measure').value;
      const data = await gql(`query ExplorerMeasures($by: Measure!, $first: Int, $kinds: [ActorKind!], $scope: Scope${v.asOf ? ', $asOf: Date' : ''}) {
        measures(by: $by, first: $first, kinds: $kinds, scope: $scope${v.asOf ? ', asOf: $asOf' : ''}) { rank value exact samples actor { id name kind sector country } } }`, v);
      const rows = data.measures.filter((r) => rowFilter(r.actor));
      const estimated = data.measures.some((r) => !r.exact);
      out.replaceChildren(table(`${v.by.toLowerCase().replace('_', ' ')}${estimated ? ` (estimated from ${data.measures[0].samples} sampled sources)` : ''}`,
        ['Rank', 'Actor', 'Kind', 'Sector', 'Country', 'Value'],
        rows.map((r) => [String(r.rank), actorButton(r.actor), r.actor.kind, r.actor.sector, r.actor.country ?? '—', r.value === null ? 'undefined' : Number(r.value).toFixed(4)])));
    } else {
      const v = networkArgs('communities');
      delete v.first;
      const data = await gql(`query ExplorerCommunities($scope: Scope${v.asOf ? ', $asOf: Date' : ''}) {
        communities(scope: $scope${v.asOf ? ', asOf: $asOf' : ''}) { modularity actorCount communities { size dominantSector dominantCountry members } } }`, v);
      const c = data.communities;
      const sector = $('net-sector').value;
      const country = $('net-country').value.trim().toUpperCase();
      const shown = c.communities.filter((m) => (!sector || m.dominantSector === sector) && (!country || m.dominantCountry === country))
        .slice(0, Number($('net-first').value));
      // Members come as ids: their names in one request, for the first few of each.
      const ids = [...new Set(shown.flatMap((m) => m.members.slice(0, 12)))];
      const names = new Map();
      if (ids.length) {
        const found = await gql(`query ExplorerNames($ids: [ID!]!) { nodes(ids: $ids) { id name } }`, { ids });
        for (const n of found.nodes) if (n) names.set(n.id, n);
      }
      out.replaceChildren(table(`Communities of ${c.actorCount} actors (modularity ${c.modularity.toFixed(3)})`, ['Size', 'Sector', 'Country', 'Members'],
        shown.map((m) => [String(m.size), m.dominantSector ?? '—', m.dominantCountry ?? '—',
          el('span', {}, ...m.members.slice(0, 12).flatMap((id, i) => [i ? ', ' : '', names.has(id) ? actorButton(names.get(id)) : id]),
            m.members.length > 12 ? ` and ${m.members.length - 12} more` : '')])));
    }
  });
}

// ---- exports of the current view

function download(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

async function exportPNG() {
  if (!renderer || graph.order === 0) { say('The graph is empty: nothing to export.', true); return; }
  await attempt('Exporting PNG', async () => download(await toBlob(renderer, { format: 'png', backgroundColor: '#ffffff' }), 'samverkan-view.png'));
}

function exportGEXF() {
  if (graph.order === 0) { say('The graph is empty: nothing to export.', true); return; }
  // GEXF attributes are flat: the node's facts and the relationship's type and properties.
  const out = new Graph({ multi: true, type: 'directed' });
  graph.forEachNode((id, a) => {
    const d = a.data;
    out.addNode(id, { label: a.label, x: a.x, y: a.y, size: a.size, color: a.color, nodeType: d.__typename,
      ...(d.kind ? { kind: d.kind, sector: d.sector, country: d.country ?? '' } : {}) });
  });
  graph.forEachEdge((key, a, s, t) => {
    const props = Object.fromEntries(Object.entries(a.properties ?? {}).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
    out.addDirectedEdgeWithKey(key, s, t, { label: a.relType, relType: a.relType, ...props });
  });
  download(new Blob([writeGEXF(out, { version: '1.3' })], { type: 'application/gexf+xml' }), 'samverkan-view.gexf');
  say('Exporting GEXF: done.');
}

// ---- start

async function start() {
  setupTabs();
  legend();
  viaBoxes('explore-via', DEFAULT_VIA);
  viaBoxes('path-via', DEFAULT_VIA);
  const kinds = $('net-kinds');
  for (const k of KINDS) {
    const id = `net-kind-${k}`;
    kinds.append(el('label', { for: id }, el('input', { type: 'checkbox', id, value: k }), ` ${k.toLowerCase().replace('_', ' ')}`));
  }
  $('api-key').value = apiKey();
  $('api-key').addEventListener('change', (e) => setApiKey(e.target.value.trim()));

  combobox('search', (hit) => attempt(`Loading the neighbourhood of ${hit.name}`, async () => {
    await loadNeighbourhood(hit.id, Number($('depth').value), false);
    await select(hit.id);
  }));
  combobox('path-from', () => {}, ['ACTOR']);
  combobox('path-to', () => {}, ['ACTOR']);
  combobox('path-exclude', (hit) => {
    excluded.set(hit.id, hit.name);
    $('path-exclude').value = '';
    renderExcluded();
  });
  combobox('fit-actor', () => {}, ['ACTOR']);

  $('expand').addEventListener('click', () => selected && expand(selected));
  $('clear').addEventListener('click', () => { graph.clear(); highlight = null; selected = null; draw(true); });
  $('size-by').addEventListener('change', () => attempt('Sizing by the measure', async () => {
    try { await loadSizes(); } finally { applySizes(); renderer?.refresh(); }
  }));
  $('export-png').addEventListener('click', exportPNG);
  $('export-gexf').addEventListener('click', exportGEXF);
  $('find-paths').addEventListener('click', findPaths);
  $('match-need').addEventListener('click', matchNeed);
  $('needs-for').addEventListener('click', needsFor);
  $('net-run').addEventListener('click', networkTable);
  $('net-view').addEventListener('change', () => { $('measure-field').hidden = $('net-view').value !== 'measures'; });

  try {
    caps = await capabilities();
  } catch (e) {
    say(`The API did not answer: ${e.message}`, true);
    return;
  }
  if (caps.has('measures')) {
    $('net-view').append(el('option', { value: 'measures' }, 'measures'));
    for (const m of ['DEGREE', 'CLOSENESS', 'BETWEENNESS', 'PAGERANK', 'EIGENVECTOR', 'CONSTRAINT', 'EFFECTIVE_SIZE', 'REACH']) {
      $('net-measure').append(el('option', { value: m }, m.toLowerCase().replace('_', ' ')));
    }
  }
  if (caps.has('communities')) $('net-view').append(el('option', { value: 'communities' }, 'communities'));
  $('asof-field').hidden = !caps.hasArg('brokers', 'asOf');
  await attempt('Loading the needs', loadNeeds);
  draw(true);
  document.body.dataset.ready = 'true';
  // ?focus=<id> opens the explorer on a node (links from GraphiQL's tour).
  const focus = new URLSearchParams(location.search).get('focus');
  if (focus) await focusNode(focus);
}

// A handle for the browser test and the benchmark (tools/explorer): where a
// node is drawn, so a test can click it like a user.
window.explorerDebug = {
  graph,
  selected: () => selected,
  viewportPosition: (id) => {
    const d = renderer.getNodeDisplayData(id);
    return renderer.framedGraphToViewport({ x: d.x, y: d.y });
  },
  sizes: () => Object.fromEntries(graph.nodes().map((id) => [id, graph.getNodeAttribute(id, 'size')])),
  highlighted: () => (highlight ? highlight.nodes.size : 0),
  load: (id, depth) => loadNeighbourhood(id, depth, false),
};

function renderExcluded() {
  $('path-excluded').replaceChildren(...[...excluded].map(([id, name]) => el('li', {},
    el('span', { text: name }),
    el('button', { 'aria-label': `Allow paths through ${name} again`, onclick: () => { excluded.delete(id); renderExcluded(); } }, '×'))));
}

start();
