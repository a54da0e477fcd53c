// Label and field selectors as the API server parses them.
// @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
// @see https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/
import { badRequest } from './errors.js';
import { getPath, type KubeObject } from './objects.js';

type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: '=' | '!='; values: [string] };

/** A compiled selector: returns whether an object matches. */
export type Matcher = (obj: KubeObject) => boolean;

const always: Matcher = () => true;

/** Splits on commas that are not inside parentheses (`a in (x,y),b`). */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

function parseLabelTerm(term: string): Requirement {
  let m = /^!\s*([^\s=!()]+)$/.exec(term);
  if (m) return { key: m[1]!, op: 'notexists' };
  m = /^([^\s=!()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) };
  m = /^([^\s=!()]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(term);
  if (m) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] };
  m = /^([^\s=!()]+)$/.exec(term);
  if (m) return { key: m[1]!, op: 'exists' };
  // Where an operator follows the operator (`a===b`), the lexer's next token is what it names.
  const after = /^[^\s=!()]+\s*(?:==|=|!=)\s*(==|!=|=|!|\(|\))/.exec(term);
  throw badRequest(`unable to parse requirement: found '${after ? after[1] : term}', expected: identifier`);
}

function matches(req: Requirement, value: string | undefined): boolean {
  switch (req.op) {
    case 'exists':
      return value !== undefined;
    case 'notexists':
      return value === undefined;
    case 'in':
      return value !== undefined && req.values.includes(value);
    case 'notin':
      return value === undefined || !req.values.includes(value);
    case '=':
      return value === req.values[0];
    case '!=':
      return value !== req.values[0];
  }
}

/** Compiles a labelSelector query parameter. */
export function labelSelector(selector: string | undefined | null): Matcher {
  if (!selector) return always;
  const reqs = splitTerms(selector).map(parseLabelTerm);
  return (obj) => reqs.every((r) => matches(r, obj.metadata.labels?.[r.key]));
}

/** Field paths every kind supports, plus per-kind extras supplied by the registry. */
const commonFields = new Set(['metadata.name', 'metadata.namespace']);

/**
 * Compiles a fieldSelector. Only `=`, `==` and `!=` exist for fields; an unsupported field is a 400
 * ("field label not supported"), as the real server answers.
 */
export function fieldSelector(selector: string | undefined | null, supported: readonly string[]): Matcher {
  if (!selector) return always;
  const reqs = splitTerms(selector).map((term) => {
    const m = /^([^\s=!]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const key = m[1]!;
    if (!commonFields.has(key) && !supported.includes(key)) {
      throw badRequest(`field label not supported: ${key}`);
    }
    return { key, negate: m[2] === '!=', value: m[3]!.trim() };
  });
  return (obj) =>
    reqs.every((r) => {
      const raw = getPath(obj, r.key);
      const value = raw === undefined || raw === null ? '' : String(raw);
      return r.negate ? value !== r.value : value === r.value;
    });
}
