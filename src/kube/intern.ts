// One shared copy of the strings that repeat across thousands of views (namespaces, job names, states, container
// names, descriptions, repositories, authors). JSON.parse makes a new string for every value it reads (V8 shares
// only keys and very short values), so at tier L 20,000 ProwJobs held ~20,000 copies of "prow", of "Job
// succeeded." and of each job name: ~12 MB of a 119 MB heap were duplicates (bench figure 2, heap snapshot).
// @see https://github.com/v8/v8/blob/main/src/json/json-parser.cc (which strings JsonParser internalizes)

/** Distinct values kept at most; past it the pool starts over, so unique values cannot make it grow for ever. */
export const internLimit = 20_000;

const pool = new Map<string, string>();

/** The pool's copy of `value` (the first one seen), for values that repeat across views. */
export function intern(value: string): string;
export function intern(value: string | undefined): string | undefined;
export function intern(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const known = pool.get(value);
  if (known !== undefined) return known;
  if (pool.size >= internLimit) pool.clear();
  pool.set(value, value);
  return value;
}
