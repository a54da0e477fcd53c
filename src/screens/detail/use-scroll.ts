// Scrolling a list of lines with the moving keys (detail panes, help): the first visible line, clamped so the
// last page stays full.
import { useState } from 'react';
import type { Place } from '../keymap.js';
import { moveIndex, type Move } from '../table/selection.js';
import { useKeymap } from '../use-keymap.js';

/** The first visible line of `count` lines shown `rows` at a time; moving keys scroll while `active`. */
export function useScroll(count: number, rows: number, place: Place, active: boolean): number {
  const maxTop = Math.max(0, count - rows);
  const [top, setTop] = useState(0);
  const scroll = (m: Move) => setTop((t) => Math.min(maxTop, moveIndex(Math.min(t, maxTop), maxTop + 1, m, rows - 1)));
  useKeymap(
    {
      'move.up': () => scroll('up'),
      'move.down': () => scroll('down'),
      'move.page-up': () => scroll('page-up'),
      'move.page-down': () => scroll('page-down'),
      'move.top': () => scroll('top'),
      'move.bottom': () => scroll('bottom'),
    },
    { place, active },
  );
  return Math.min(top, maxTop);
}

/** `lines 1–20 of 42`, or empty when everything fits. */
export function scrollHint(top: number, rows: number, count: number): string {
  return count > rows ? `lines ${top + 1}–${Math.min(count, top + rows)} of ${count}, ↑↓ scroll` : '';
}
