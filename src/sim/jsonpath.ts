// The kubectl dialect of JSONPath, as CRD printer columns (additionalPrinterColumns[].jsonPath) use it:
// `.status.phase`, `.metadata.labels['cluster\.x-k8s\.io/cluster-name']`, `.metadata.labels.cluster\.x-k8s\.io/x`,
// `.status.conditions[?(@.type=="Ready")].status`, `.spec.refs.pulls[*].number`, `[0]`, `[1:3]`, `[a,b]`, `..name`.
// Parsing and evaluation mirror k8s.io/client-go/util/jsonpath (parser.go, jsonpath.go) at v0.34, including its
// quirks: a field on a non-object yields nothing, `null` values are skipped, filters compare only values of the same
// kind, and out-of-range indexes are errors. Templates with text around `{…}` and `range`/`end` are not supported.

/** A malformed expression, or an evaluation error that client-go reports (bad index, incomparable values). */
export class JsonPathError extends Error {
  override name = 'JsonPathError';
}

/** Options for compileJsonPath. */
export interface JsonPathOptions {
  /** Missing fields yield no result instead of an error; the API server's printer columns set this (default true). */
  allowMissingKeys?: boolean;
}

/** A compiled path: every value it selects from `data`, in document order. */
export type CompiledJsonPath = (data: unknown) => unknown[];

type Slice = [number | undefined, number | undefined, number | undefined];
// A literal keeps the kind client-go gives it (int from strconv.Atoi, else float), since filters compare by kind.
type Literal = { type: 'literal'; value: string | boolean | number; float?: boolean };
type Node =
  | { type: 'field'; name: string }
  | { type: 'wildcard' }
  | { type: 'recursive' }
  | { type: 'array'; slice: Slice; derivedEnd: boolean }
  | { type: 'union'; branches: Node[][] }
  | { type: 'filter'; left: Node[]; op: string; right: Node[] }
  | Literal;

const isAlphaNumeric = (c: string): boolean => /^[\p{L}\p{Nd}_]$/u.test(c);
// isTerminator in parser.go: where a field name or identifier ends.
const isTerminator = (c: string | undefined): boolean => c === undefined || ' \t\r\n.,[]$@{}'.includes(c);

/** Parses the inside of one `{…}` action into nodes (client-go's parseInsideAction and friends). */
function parseAction(text: string): Node[] {
  const nodes: Node[] = [];
  let pos = 0;
  const parseField = (): void => {
    const start = pos;
    while (pos < text.length) {
      if (text[pos] === '\\') pos += 2;
      else if (isTerminator(text[pos])) break;
      else pos++;
    }
    const raw = text.slice(start, Math.min(pos, text.length));
    nodes.push(raw === '*' ? { type: 'wildcard' } : { type: 'field', name: raw.replaceAll('\\', '') });
  };
  while (pos < text.length) {
    const rest = text.slice(pos);
    if (rest.startsWith('[?(')) {
      pos = parseFilter(text, pos + 3, nodes);
      continue;
    }
    if (rest.startsWith('..')) {
      if (nodes.at(-1)?.type === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
      nodes.push({ type: 'recursive' });
      pos += 2;
      if (pos < text.length && isAlphaNumeric(text[pos]!)) parseField();
      continue;
    }
    const c = text[pos]!;
    if (c === '\r' || c === '\n') throw new JsonPathError('unclosed action');
    if (c === ' ' || c === '@' || c === '$') {
      pos++;
    } else if (c === '[') {
      const end = text.indexOf(']', pos);
      const newline = text.slice(pos, end < 0 ? undefined : end).search(/\n/);
      if (end < 0 || newline >= 0) throw new JsonPathError('unterminated array');
      nodes.push(parseBracket(text.slice(pos + 1, end)));
      pos = end + 1;
    } else if (c === '"' || c === "'") {
      let end = pos + 1;
      while (end < text.length && !(text[end] === c && text[end - 1] !== '\\')) {
        if (text[end] === '\n') break;
        end++;
      }
      if (end >= text.length || text[end] !== c) throw new JsonPathError('unterminated quoted string');
      nodes.push({ type: 'literal', value: unquote(text.slice(pos, end + 1)) });
      pos = end + 1;
    } else if (c === '.') {
      pos++;
      parseField();
    } else if (c === '+' || c === '-' || /\d/.test(c)) {
      const match = /^[+-]?[\d.]*/.exec(rest)![0];
      pos += match.length;
      if (/^[+-]?\d+$/.test(match)) nodes.push({ type: 'literal', value: Number.parseInt(match, 10) });
      else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(match)) nodes.push({ type: 'literal', value: Number.parseFloat(match), float: true });
      else throw new JsonPathError(`cannot parse number ${match}`);
    } else if (isAlphaNumeric(c)) {
      const start = pos;
      while (!isTerminator(text[pos])) pos++;
      const word = text.slice(start, pos);
      if (word !== 'true' && word !== 'false') throw new JsonPathError(`unrecognized identifier ${word}`);
      nodes.push({ type: 'literal', value: word === 'true' });
    } else {
      throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
  return nodes;
}

/** `[…]` contents: a union, a quoted dictionary key, or an index/slice (parseArray). */
function parseBracket(inner: string): Node {
  const text = inner === '*' ? ':' : inner;
  const parts = text.split(',');
  if (parts.length > 1) return { type: 'union', branches: parts.map((p) => parseAction(`[${p.trim()}]`)) };
  const key = /^'([^']*)'$/.exec(text);
  if (key) {
    const [field] = parseAction(`.${key[1]}`);
    if (!field) throw new JsonPathError(`invalid array index ${text}`);
    return field;
  }
  const slice = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
  if (!slice) throw new JsonPathError(`invalid array index ${text}`);
  const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number.parseInt(s, 10));
  const start = num(slice[1]);
  if (slice[2] === undefined) {
    // `[n]` is the slice n:n+1 whose end is "derived" (a derived end of 0 means the last element for `[-1]`).
    return { type: 'array', slice: [start, (start ?? 0) + 1, undefined], derivedEnd: true };
  }
  return { type: 'array', slice: [start, num(slice[2].slice(1)), num(slice[3]?.slice(1))], derivedEnd: false };
}

/** `[?(left op right)]` or `[?(@.x)]`, returning the position after `]` (parseFilter). */
function parseFilter(text: string, start: number, nodes: Node[]): number {
  let pos = start;
  let begin = false;
  let end = false;
  let pair = '';
  for (;;) {
    const c = text[pos++];
    if (c === undefined || c === '\n') throw new JsonPathError('unterminated filter');
    if (c === '"' || c === "'") {
      if (!begin) {
        begin = true;
        pair = c;
        continue;
      }
      if (text[pos - 2] !== '\\' && c === pair) end = true;
    } else if (c === ')' && begin === end) {
      break;
    }
  }
  if (text[pos++] !== ']') throw new JsonPathError('unclosed array expect ]');
  const body = text.slice(start, pos - 2);
  const parts = /^([^!<>=]+)([!<>=]+)(.+?)$/.exec(body);
  if (!parts) nodes.push({ type: 'filter', left: parseAction(body), op: 'exists', right: [] });
  else nodes.push({ type: 'filter', left: parseAction(parts[1]!), op: parts[2]!, right: parseAction(parts[3]!) });
  return pos;
}

/** Go's UnquoteExtend: a single- or double-quoted string with Go escapes. */
function unquote(quoted: string): string {
  const body = quoted.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/g, (_, e: string) => {
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (e[0] === 'u' || e[0] === 'x') return String.fromCharCode(Number.parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCharCode(Number.parseInt(e, 8));
    return simple[e] ?? e;
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// A Go string indexes to its bytes (uint8), which have no children: recursion and wildcards stop there.
const children = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : isRecord(v) ? Object.values(v) : typeof v === 'string' ? [...Buffer.from(v, 'utf8')] : [];

/** text/template's basicKind for the JSON values the API server decodes (int64 for integers, float64 otherwise). */
function kindOf(v: unknown, float?: boolean): string {
  if (typeof v === 'number') return float || !Number.isInteger(v) ? 'float' : 'int';
  if (typeof v === 'string' || typeof v === 'boolean') return typeof v;
  return v === null || v === undefined ? 'nil' : 'invalid';
}

/** text/template's eq/ne/lt/le/gt/ge on two values (funcs.go), as used by filters. */
function compare(op: string, left: unknown, right: unknown, rightFloat?: boolean): boolean {
  const lk = kindOf(left);
  const rk = kindOf(right, rightFloat);
  if (op === '==' || op === '!=') {
    if (lk === 'nil' || rk === 'nil') return (op === '==') === (lk === rk);
    if (lk === 'invalid' || rk === 'invalid') throw new JsonPathError('invalid type for comparison');
    if (lk !== rk) throw new JsonPathError('incompatible types for comparison');
    return (op === '==') === (left === right);
  }
  if (!['<', '<=', '>', '>='].includes(op)) throw new JsonPathError(`unrecognized filter operator ${op}`);
  if (!['int', 'float', 'string'].includes(lk) || !['int', 'float', 'string'].includes(rk)) {
    throw new JsonPathError('invalid type for comparison');
  }
  if (lk !== rk) throw new JsonPathError('incompatible types for comparison');
  const l = left as number | string;
  const r = right as number | string;
  return op === '<' ? l < r : op === '<=' ? l <= r : op === '>' ? l > r : l >= r;
}

function evaluate(input: unknown[], nodes: Node[], allowMissingKeys: boolean): unknown[] {
  let values = input;
  for (const node of nodes) values = step(values, node, allowMissingKeys);
  return values;
}

function step(input: unknown[], node: Node, allowMissingKeys: boolean): unknown[] {
  const out: unknown[] = [];
  switch (node.type) {
    case 'literal':
      return input.map(() => node.value);
    case 'field': {
      if (input.length === 0) return out;
      for (const v of input) if (isRecord(v) && Object.hasOwn(v, node.name)) out.push(v[node.name]);
      if (out.length === 0 && !allowMissingKeys) throw new JsonPathError(`${node.name} is not found`);
      return out;
    }
    case 'wildcard':
      for (const v of input) if (v !== null && v !== undefined) out.push(...children(v));
      return out;
    case 'recursive':
      for (const v of input) {
        if (v === null || v === undefined) continue;
        const kids = children(v);
        if (kids.length === 0) continue;
        out.push(v, ...step(kids, node, allowMissingKeys));
      }
      return out;
    case 'union':
      for (const branch of node.branches) out.push(...evaluate(input, branch, allowMissingKeys));
      return out;
    case 'array':
      for (const v of input) {
        if (v === null || v === undefined) continue;
        if (!Array.isArray(v)) throw new JsonPathError(`${kindOf(v) === 'invalid' ? 'map[string]interface {}' : typeof v} is not array or slice`);
        out.push(...sliceOf(v, node.slice, node.derivedEnd));
      }
      return out;
    case 'filter':
      for (const v of input) {
        if (!Array.isArray(v)) throw new JsonPathError(`${JSON.stringify(v)} is not array or slice and cannot be filtered`);
        for (const item of v) if (matches(item, node, allowMissingKeys)) out.push(item);
      }
      return out;
  }
}

function matches(item: unknown, filter: Extract<Node, { type: 'filter' }>, allowMissingKeys: boolean): boolean {
  if (filter.op === 'exists') {
    try {
      return evaluate([item], filter.left, allowMissingKeys).length > 0;
    } catch {
      return false;
    }
  }
  const lefts = evaluate([item], filter.left, allowMissingKeys);
  if (lefts.length === 0) return false;
  if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
  const rights = evaluate([item], filter.right, allowMissingKeys);
  if (rights.length === 0) return false;
  if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
  const literal = filter.right.length === 1 && filter.right[0]?.type === 'literal' ? filter.right[0] : undefined;
  return compare(filter.op, lefts[0], rights[0], literal?.float);
}

/** evalArray's index arithmetic, errors included. */
function sliceOf(array: unknown[], slice: Slice, derivedEnd: boolean): unknown[] {
  const length = array.length;
  let start = slice[0] ?? 0;
  if (start < 0) start += length;
  let end = slice[1] ?? length;
  if (end < 0 || (end === 0 && derivedEnd)) end += length;
  if (end === start) return [];
  if (start >= length || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${length}`);
  if (end > length || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${length}`);
  if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
  const stepSize = slice[2] ?? 1;
  if (slice[2] !== undefined && stepSize <= 0) throw new JsonPathError('step must be > 0');
  const out: unknown[] = [];
  for (let i = start; i < end; i += stepSize) out.push(array[i]);
  return out;
}

/**
 * Compiles a JSONPath expression such as `.status.conditions[?(@.type=="Ready")].status`, with or without the
 * surrounding `{}` kubectl templates use. Syntax errors throw a JsonPathError here; evaluation errors (an index out of
 * range, comparing a number with a string) throw from the returned function, as client-go's FindResults fails.
 */
export function compileJsonPath(expression: string, options: JsonPathOptions = {}): CompiledJsonPath {
  const trimmed = expression.trim();
  const inner = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : trimmed;
  if (inner.includes('{') || inner.includes('}')) throw new JsonPathError(`only a single {…} action is supported: ${expression}`);
  const nodes = parseAction(inner);
  const allowMissingKeys = options.allowMissingKeys ?? true;
  return (data) => evaluate([data], nodes, allowMissingKeys);
}

/** Go's %v for a float64: strconv 'g' with the shortest digits, in exponent form when the exponent is < -4 or ≥ 6. */
function goFloat(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  const [mantissa = '0', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(value);
}

/** encoding/json's Marshal of a decoded JSON value: map keys sorted, `<`, `>` and `&` escaped as \u003c etc. */
export function goJsonMarshal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJsonMarshal).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${goJsonMarshal(k)}:${goJsonMarshal(value[k])}`).join(',')}}`;
  }
  // Numbers need no care: encoding/json switches to exponent form below 1e-6 and from 1e21, as JavaScript does.
  const text = JSON.stringify(value ?? null);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The text client-go's PrintResults writes for one value: strings as they are, numbers and booleans with Go's %v,
 * objects and arrays as JSON, and `<no value>` for null (text/template's printableValue).
 */
export function formatJsonPathValue(value: unknown): string {
  if (value === null || value === undefined) return '<no value>';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : goFloat(value);
  if (typeof value === 'boolean') return String(value);
  return goJsonMarshal(value);
}
