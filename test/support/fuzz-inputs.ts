/**
 * Hostile inputs for the route fuzzer (test/integration/fuzz-routes.test.ts): JSON bodies as a
 * tree that can hold what JSON.stringify cannot write (own `__proto__` keys, duplicate keys,
 * numbers such as 1e309 or -0 as literal text), mutations of a valid sample body, malformed JSON,
 * odd content types, path values and query strings.
 */
import fc from 'fast-check';

/** A JSON document as written on the wire. */
export type JsonTree =
  | { t: 'raw'; text: string }
  | { t: 'value'; value: string | number | boolean | null }
  | { t: 'array'; items: JsonTree[] }
  | { t: 'object'; entries: [string, JsonTree][] };

export function treeOf(value: unknown): JsonTree {
  if (Array.isArray(value)) return { t: 'array', items: value.map(treeOf) };
  if (value !== null && typeof value === 'object') return { t: 'object', entries: Object.entries(value).map(([k, v]) => [k, treeOf(v)]) };
  if (value === undefined) return { t: 'value', value: null };
  return { t: 'value', value: value as string | number | boolean | null };
}

export function render(tree: JsonTree): string {
  switch (tree.t) {
    case 'raw':
      return tree.text;
    case 'value':
      return JSON.stringify(tree.value);
    case 'array':
      return `[${tree.items.map(render).join(',')}]`;
    case 'object':
      return `{${tree.entries.map(([k, v]) => `${JSON.stringify(k)}:${render(v)}`).join(',')}}`;
  }
}

/** Every node with its path of indexes (for objects the index of the entry). */
function nodes(tree: JsonTree, path: number[] = []): { path: number[]; node: JsonTree }[] {
  const here = [{ path, node: tree }];
  if (tree.t === 'array') return [...here, ...tree.items.flatMap((item, i) => nodes(item, [...path, i]))];
  if (tree.t === 'object') return [...here, ...tree.entries.flatMap(([, v], i) => nodes(v, [...path, i]))];
  return here;
}

/** A copy of the tree with the node at path replaced (or removed when `replacement` is null). */
function replaceAt(tree: JsonTree, path: number[], replace: (node: JsonTree) => JsonTree | null): JsonTree {
  if (path.length === 0) return replace(tree) ?? { t: 'value', value: null };
  const [head, ...rest] = path as [number, ...number[]];
  if (tree.t === 'array') {
    const items = [...tree.items];
    const next = rest.length === 0 ? replace(items[head]!) : replaceAt(items[head]!, rest, replace);
    if (next === null) items.splice(head, 1);
    else items[head] = next;
    return { t: 'array', items };
  }
  if (tree.t === 'object') {
    const entries = [...tree.entries];
    const [key, value] = entries[head]!;
    const next = rest.length === 0 ? replace(value) : replaceAt(value, rest, replace);
    if (next === null) entries.splice(head, 1);
    else entries[head] = [key, next];
    return { t: 'object', entries };
  }
  return tree;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** encodeURIComponent, with lone surrogates (which it refuses) replaced by U+FFFD first. */
export function encode(text: string): string {
  return encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const HOSTILE_TEXT = [
  '',
  ' ',
  '\t\n',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2f%2e%2e%2f',
  'TEAM#x',
  'a#b',
  'DISTRICT#home-d',
  '\u0000',
  'nul\u0000byte',
  '<script>alert(1)</script>',
  "' OR '1'='1",
  `$${'{'}jndi:ldap://127.0.0.1/a}`,
  '{{7*7}}',
  '\ud800',
  '\udfff\ud800',
  '😀👨‍👩‍👧‍👦',
  '\u202egnp.exe',
  'e\u0301',
  '１２３４５',
  '零一二',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'null',
  'true',
  '2026Q5',
  '2026-02-30',
  '0000-00-00',
  '9999-12-31',
  '__proto__',
  'constructor',
  'x'.repeat(101),
  'x'.repeat(2049),
  '中'.repeat(600),
];

/** Numbers as literal JSON text, including those JSON.stringify cannot produce. */
const RAW_NUMBERS = [
  '1e309',
  '-1e309',
  '-0',
  '-0.0',
  '0.1',
  '1e-400',
  '123456789012345678901234567890',
  '9007199254740993',
  '-9007199254740993',
  '-1',
  '1.5',
  '1E2',
  '0e0',
  '2.000000000000000000001',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((n) => 'A'.repeat(n)) },
);

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', 'pk', 'sk', '$where', '$gt', 'a.b', 'a[0]', 'unknownField', 'x'.repeat(300)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

const deepNesting = fc.integer({ min: 50, max: 3000 }).map((depth): JsonTree => ({ t: 'raw', text: `${'['.repeat(depth)}${']'.repeat(depth)}` }));

export const hostileLeaf: fc.Arbitrary<JsonTree> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map((value): JsonTree => ({ t: 'value', value })) },
  { weight: 3, arbitrary: fc.constantFrom(...RAW_NUMBERS).map((text): JsonTree => ({ t: 'raw', text })) },
  { weight: 2, arbitrary: fc.constantFrom<JsonTree>({ t: 'value', value: true }, { t: 'value', value: false }, { t: 'value', value: null }) },
  { weight: 1, arbitrary: fc.double().map((value): JsonTree => (Number.isFinite(value) ? { t: 'value', value } : { t: 'raw', text: String(value) })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<JsonTree>({ t: 'array', items: [] }, { t: 'object', entries: [] }, { t: 'array', items: [{ t: 'value', value: null }] }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<JsonTree>(
      { t: 'object', entries: [['$gt', { t: 'value', value: '' }]] },
      { t: 'object', entries: [['__proto__', { t: 'object', entries: [['polluted', { t: 'value', value: 'yes' }]] }]] },
    ),
  },
  { weight: 1, arbitrary: deepNesting },
);

/** A scalar where a structure is expected, or a structure where a scalar is: never of the type the schema wants. */
function wrongType(node: JsonTree): fc.Arbitrary<JsonTree> {
  if (node.t === 'object' || node.t === 'array')
    return fc.constantFrom<JsonTree>({ t: 'value', value: 'x' }, { t: 'value', value: 7 }, { t: 'raw', text: '1e309' });
  return fc.constantFrom<JsonTree>(
    { t: 'object', entries: [['$ne', { t: 'value', value: null }]] },
    { t: 'array', items: [] },
    { t: 'object', entries: [['__proto__', { t: 'object', entries: [['isAdmin', { t: 'value', value: true }]] }]] },
  );
}

type Mutation = (tree: JsonTree) => fc.Arbitrary<JsonTree>;

const mutations: Mutation[] = [
  // replace any node with a hostile leaf
  (tree) => {
    const all = nodes(tree);
    return fc.tuple(fc.nat(all.length - 1), hostileLeaf).map(([i, leaf]) => replaceAt(tree, all[i]!.path, () => leaf));
  },
  // drop a field or an element
  (tree) => {
    const all = nodes(tree).filter((n) => n.path.length > 0);
    if (all.length === 0) return fc.constant(tree);
    return fc.nat(all.length - 1).map((i) => replaceAt(tree, all[i]!.path, () => null));
  },
  // add an unknown (or prototype-polluting) key to an object
  (tree) => {
    const objects = nodes(tree).filter((n) => n.node.t === 'object');
    if (objects.length === 0) return fc.constant(tree);
    return fc
      .tuple(fc.nat(objects.length - 1), hostileKey, hostileLeaf)
      .map(([i, key, leaf]) =>
        replaceAt(tree, objects[i]!.path, (node) => (node.t === 'object' ? { t: 'object', entries: [...node.entries, [key, leaf]] } : node)),
      );
  },
  // repeat a key with another value (JSON.parse keeps the last)
  (tree) => {
    const objects = nodes(tree).filter((n) => n.node.t === 'object' && n.node.entries.length > 0);
    if (objects.length === 0) return fc.constant(tree);
    return fc.tuple(fc.nat(objects.length - 1), fc.nat(), hostileLeaf).map(([i, k, leaf]) =>
      replaceAt(tree, objects[i]!.path, (node) => {
        if (node.t !== 'object') return node;
        const [key] = node.entries[k % node.entries.length]!;
        return { t: 'object', entries: [...node.entries, [key, leaf]] };
      }),
    );
  },
  // a value of the wrong type
  (tree) => {
    const all = nodes(tree);
    return fc.nat(all.length - 1).chain((i) => wrongType(all[i]!.node).map((replacement) => replaceAt(tree, all[i]!.path, () => replacement)));
  },
  // wrap a value in an array, or repeat an array's elements many times
  (tree) => {
    const all = nodes(tree);
    return fc
      .tuple(fc.nat(all.length - 1), fc.integer({ min: 2, max: 400 }))
      .map(([i, times]) =>
        replaceAt(tree, all[i]!.path, (node) =>
          node.t === 'array' && node.items.length > 0
            ? { t: 'array', items: Array.from({ length: times }, (_, k) => node.items[k % node.items.length]!) }
            : { t: 'array', items: [node] },
        ),
      );
  },
];

/** One to three mutations of a sample body: some stay valid, most do not. */
export function mutatedBody(sample: unknown): fc.Arbitrary<JsonTree> {
  const base = treeOf(sample);
  const once = (tree: JsonTree) => fc.integer({ min: 0, max: mutations.length - 1 }).chain((m) => mutations[m]!(tree));
  return fc.integer({ min: 1, max: 3 }).chain((count) => {
    let arb: fc.Arbitrary<JsonTree> = fc.constant(base);
    for (let i = 0; i < count; i++) arb = arb.chain(once);
    return arb;
  });
}

/** Text that is not JSON, or JSON of the wrong shape at the top. */
export function malformedJson(sample: unknown): fc.Arbitrary<string> {
  const text = JSON.stringify(sample ?? {});
  return fc.oneof(
    fc.constantFrom(
      '',
      '{',
      '}',
      '[',
      '{"a":',
      '{"a":1,}',
      "{'a':1}",
      'undefined',
      'NaN',
      '{"a":NaN}',
      '\uFEFF{}',
      '\u0000',
      'null',
      '1',
      '"text"',
      '[]',
      'true',
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
      `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    ),
    fc.nat(Math.max(0, text.length - 1)).map((cut) => text.slice(0, cut)),
    fc.constantFrom('garbage', '}', ',', '\n\u0000').map((tail) => text + tail),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
}

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'text/plain',
  'text/csv',
  'text/csv; charset=gbk',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'multipart/form-data',
  'application/octet-stream',
  '',
];

/** Plausible values of the fields the HTML forms post (login, settlement, evaluator and survey forms). */
const FORM_FIELDS: Record<string, string[]> = {
  lang: ['en', 'zh', 'xx'],
  next: ['/docs', '/中文', '/a\r\nSet-Cookie: x=y', '//evil.example', '/\\evil', `/${'x'.repeat(3000)}`, '/ok?x=%zz'],
  role: ['admin', 'finance', 'evaluator', 'clerk', 'resident', 'root'],
  districtId: ['home-d', 'away-d', 'HOME', ''],
  institutionId: ['home-d-inst-1', ''],
  subject: ['finance-li', 'a b', '中文'],
  identityNumber: ['990108196101011010', '9901081961010110199', '12345'],
  evaluationId: ['eval-home', 'nope'],
  pool: ['1000', '1,000', '-5', '1e309', '0.001', '99999999999999999'],
  method: ['score-weighted', 'value-per-point', 'grade-tiers', 'x'],
  sizeMeasure: ['active-contracts', 'weighted-residents', 'none'],
  scoreFloor: ['60', '101', '-1'],
  teamCap: ['100', 'x'],
  perPoint: ['1', '-1'],
  tiers: ['90=5000\n80=3000', '=', '90=5000\n90=1', 'x'.repeat(5000)],
  keyPopulationWeight: ['2', '-2'],
  'share.general-practitioner': ['40', 'x'],
  'share.__proto__': ['1'],
  correctionOf: ['stl-x', ''],
  note: ['备注', 'x'.repeat(600)],
  computationId: ['calc-x', ''],
  revision: ['1', '0', '-1', '1e309', 'x'],
  name: ['草案', '', 'x'.repeat(200)],
  periodType: ['quarter', 'year', 'week'],
  basedOn: ['1', '99', 'x'],
  document: ['{}', '{"indicators":[]}', '{', '[]', '{"__proto__":{"polluted":"yes"}}', `${'['.repeat(5000)}${']'.repeat(5000)}`],
  period: ['2026Q3', '2026Q4', '2026', '2026Q9'],
  criteriaVersion: ['1', '2', '0'],
  compare: ['1', 'x'],
  overall: ['5', '6', '0', 'x'],
  attitude: ['4'],
  communication: ['3'],
  access: ['2'],
  recommend: ['10', '11'],
  comment: ['很好', 'x'.repeat(2000)],
};

/** The fields each kind of form posts, so a generated form is often complete enough to get past its first check. */
const FORM_GROUPS: Record<string, string[]> = {
  login: ['next', 'role', 'districtId', 'institutionId', 'subject', 'identityNumber'],
  settlement: [
    'lang',
    'evaluationId',
    'pool',
    'method',
    'sizeMeasure',
    'scoreFloor',
    'teamCap',
    'perPoint',
    'tiers',
    'keyPopulationWeight',
    'share.general-practitioner',
    'share.__proto__',
    'correctionOf',
    'note',
    'computationId',
  ],
  criteria: ['lang', 'revision', 'name', 'periodType', 'basedOn', 'document', 'period', 'criteriaVersion', 'compare'],
  survey: ['lang', 'overall', 'attitude', 'communication', 'access', 'recommend', 'comment'],
};

export function formGroupOf(path: string): string[] {
  if (path.startsWith('/login')) return FORM_GROUPS.login!;
  if (path.startsWith('/finance')) return FORM_GROUPS.settlement!;
  if (path.startsWith('/s/')) return FORM_GROUPS.survey!;
  if (path.startsWith('/evaluator')) return FORM_GROUPS.criteria!;
  return Object.keys(FORM_FIELDS);
}

/** Form bodies for the HTML pages' POST routes (and anything else that parses forms). */
export function formBody(fields: string[] = Object.keys(FORM_FIELDS)): fc.Arbitrary<string> {
  const value = (name: string) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(FORM_FIELDS[name] ?? [''])) }, { weight: 1, arbitrary: hostileString });
  const pairs = fc
    .tuple(
      fc.shuffledSubarray(fields).chain((names) => fc.tuple(...names.map((name) => value(name).map((v): [string, string] => [name, v])))),
      fc.array(fc.tuple(hostileKey, hostileString), { maxLength: 2 }),
    )
    .map(([known, odd]) => [...known, ...odd]);
  return fc.oneof(
    { weight: 5, arbitrary: pairs.map((list) => list.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%',
        '%zz=1',
        'a=%E0%A4%A',
        '&&&',
        '=',
        'a=1&a=2&a=3',
        `a=${'x'.repeat(40_000)}`,
        '------x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n------x--',
        '------x\r\ngarbage',
      ),
    },
  );
}

export const hostilePathValue: fc.Arbitrary<{ text: string; raw: boolean }> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map((text) => ({ text, raw: false })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom('..', '.', '%', '%zz', '%E0%A4%A', 'a#b', '..%2f..%2fetc%2fpasswd', '%2e%2e', 'a%00b', '%F0%9F', ';x', '*')
      .map((text) => ({ text, raw: true })),
  },
  { weight: 1, arbitrary: fc.constantFrom('0', '-1', '1.5', '1e309', '99999999999999999999', 'NaN', '0x10', ' 1').map((text) => ({ text, raw: false })) },
);

/** Base64url of JSON that looks like a cursor: DynamoDB keys, settlement and metrics cursors, or junk. */
/** Partitions of the fuzzer's fixture that list routes query, for cursors in (and out of) the right partition. */
const PARTITIONS = [
  'DISTRICTS',
  'DISTRICT#home-d#INSTITUTIONS',
  'DISTRICT#home-d#EVALUATIONS',
  'DISTRICT#home-d#SETTLEMENTS',
  'DISTRICT#home-d#TEAMS',
  'DISTRICT#home-d#CRITERIA',
  'INSTITUTION#home-d-inst-1#TEAMS',
  'INSTITUTION#home-d-inst-1#METRICS#2026Q3',
  'TEAM#home-d-inst-1-team-1#CONTRACTS',
  'DISTRICT#away-d#INSTITUTIONS',
  'VERSION#000001',
  'X',
  '',
];

export const hostileCursor: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc
      .dictionary(
        fc.constantFrom('pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'c', 's', 'chunk', 'offset', 'u', '__proto__'),
        fc.oneof(hostileString, fc.integer(), fc.constant(null)),
        { maxKeys: 5 },
      )
      .map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
  },
  // exactly the key attributes a list cursor holds, so it passes decoding and reaches DynamoDB as ExclusiveStartKey
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(['pk', 'sk'], ['pk', 'sk', 'gsi1pk', 'gsi1sk'], ['pk', 'sk', 'gsi2pk', 'gsi2sk']),
        fc.array(fc.oneof(fc.constantFrom(...PARTITIONS), hostileString), { minLength: 4, maxLength: 4 }),
      )
      .map(([names, values]) => Buffer.from(JSON.stringify(Object.fromEntries(names.map((name, i) => [name, values[i]!])))).toString('base64url')),
  },
  // the shapes of the metrics rows cursor ({ s: ROWS#…, o }) and the settlement lines cursor ({ c, s: TEAM#… })
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('ROWS#', 'TEAM#', 'MEMBER#', 'INSTITUTION#'), hostileString, fc.oneof(fc.nat(), fc.integer(), fc.constant(2 ** 53)), hostileString)
      .map(([prefix, rest, o, c]) => Buffer.from(JSON.stringify({ s: prefix + rest, o, c })).toString('base64url')),
  },
);

/** Query values by parameter name: plausible ones and hostile ones. */
export function queryValue(name: string): fc.Arbitrary<string> {
  const plausible = new Map<string, string[]>(
    Object.entries({
      limit: ['1', '50', '100', '101', '1000', '1001', '0', '-1', '1e309', '-0', '1.5', 'NaN', '', '0x10', '1e2', ' 5'],
      period: ['2026Q3', '2026Q4', '2026', '2026Q0', '2026Q5', 'q3', ''],
      version: ['1', '2', '0', '-1', '1e309', 'abc'],
      kind: ['team', 'member', 'institution', 'TEAM', ''],
      lang: ['en', 'zh', 'xx', '', '中文'],
      done: ['created', 'approved', 'closed', 'nope'],
      next: ['/docs', '//evil.example', 'https://evil.example', '/\\evil', '/finance/x?y=z'],
      compare: ['1', 'x'],
      preview: ['1'],
    }),
  );
  const values = plausible.get(name);
  if (name === 'cursor') return fc.oneof({ weight: 4, arbitrary: hostileCursor }, { weight: 1, arbitrary: hostileString });
  return fc.oneof(...(values ? [fc.constantFrom(...values)] : []), hostileString);
}

/** A query string: each declared parameter half the time, sometimes an unknown or repeated one. */
export function queryString(declared: string[], sampleQuery: string | undefined): fc.Arbitrary<string> {
  const pair = (name: string) => queryValue(name).map((value) => [name, value] as const);
  const pairs = fc
    .tuple(
      fc.tuple(...declared.map((name) => fc.option(pair(name), { freq: 2, nil: undefined }))),
      fc.array(fc.constantFrom('unknown', '__proto__', 'constructor', ...declared).chain(pair), { maxLength: 2 }),
    )
    .map(([known, extra]) => [...known.filter((p) => p !== undefined), ...extra]);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(sampleQuery ?? '') },
    {
      weight: 4,
      arbitrary: fc
        .tuple(pairs, fc.boolean())
        .map(([list, raw]) => (list.length === 0 ? '' : `?${list.map(([k, v]) => `${k}=${raw ? v.replace(/[#&\s]/g, encode) : encode(v)}`).join('&')}`)),
    },
  );
}
