// Cursor and scroll arithmetic for virtualised lists, pure: the selection is remembered by row key (so it follows
// its row when data moves), the window by its first row (so it does not jump while the cursor stays visible).

/** A cursor movement. */
export type Move = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom';

/** The index after a move in a list of `count` rows with `page` rows per page (clamped). */
export function moveIndex(index: number, count: number, move: Move, page: number): number {
  if (count <= 0) return 0;
  const step = Math.max(1, page);
  const next = {
    up: index - 1,
    down: index + 1,
    'page-up': index - step,
    'page-down': index + step,
    top: 0,
    bottom: count - 1,
  }[move];
  return Math.min(count - 1, Math.max(0, next));
}

/** The first visible row: unchanged while `index` is inside the window, else just enough to show it. */
export function windowTop(previousTop: number, index: number, height: number, count: number): number {
  const rows = Math.max(1, height);
  let top = Math.min(previousTop, Math.max(0, count - rows));
  if (index < top) top = index;
  if (index >= top + rows) top = index - rows + 1;
  return Math.max(0, top);
}

/** The index of the selected key; when the key is gone, the nearest row to where it was (`fallback`). */
export function indexOfKey(keys: (i: number) => string, count: number, key: string | undefined, fallback: number): number {
  if (count === 0) return 0;
  if (key !== undefined) {
    // Look near the old position first: with 20,000 rows a full scan per frame is what we avoid.
    const near = Math.min(Math.max(0, fallback), count - 1);
    if (keys(near) === key) return near;
    for (let i = 0; i < count; i++) if (keys(i) === key) return i;
  }
  return Math.min(Math.max(0, fallback), count - 1);
}
