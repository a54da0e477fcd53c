// Terminal text measured in display cells, so table columns line up under Ink.
// Width rules are a small subset of Unicode East Asian Width (UAX #11) plus emoji presentation, applied per
// grapheme cluster: wide and emoji clusters take 2 cells, combining marks 0, everything else 1 — including the
// box-drawing, block (▁…█ ░) and braille (U+2800) characters the charts use. ANSI escapes are not handled.
// @see https://www.unicode.org/reports/tr11/ (East Asian Width)

const ELLIPSIS = '…';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

// Inclusive code point ranges, sorted: zero-width (controls, combining marks, joiners, variation selectors).
const ZERO_WIDTH: readonly (readonly [number, number])[] = [
  [0x0000, 0x001f], [0x007f, 0x009f], [0x0300, 0x036f], [0x1ab0, 0x1aff], [0x1dc0, 0x1dff], [0x200b, 0x200f],
  [0x2060, 0x2064], [0x20d0, 0x20ff], [0xfe00, 0xfe0f], [0xfe20, 0xfe2f], [0xfeff, 0xfeff], [0xe0100, 0xe01ef],
];
// Inclusive code point ranges, sorted: East Asian Wide/Fullwidth and default-emoji-presentation blocks.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x303e],
  [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f200, 0x1f251], [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

/** Binary search of sorted inclusive ranges. */
function inRanges(codePoint: number, ranges: readonly (readonly [number, number])[]): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [start, end] = ranges[middle] ?? [0, -1];
    if (codePoint < start) high = middle - 1;
    else if (codePoint > end) low = middle + 1;
    else return true;
  }
  return false;
}

/** Cells taken by one grapheme cluster: its first code point decides, and VS16 (emoji presentation) makes 2. */
function clusterWidth(cluster: string): number {
  const first = cluster.codePointAt(0) ?? 0;
  if (inRanges(first, WIDE)) return 2;
  if (inRanges(first, ZERO_WIDTH)) return 0;
  return cluster.includes('\ufe0f') ? 2 : 1;
}

/** Splits text into grapheme clusters with their widths; ASCII takes a fast path. */
function cells(text: string): { cluster: string; width: number }[] {
  if (PRINTABLE_ASCII.test(text)) return [...text].map((cluster) => ({ cluster, width: 1 }));
  return [...graphemes.segment(text)].map(({ segment }) => ({ cluster: segment, width: clusterWidth(segment) }));
}

/** Terminal cells `text` occupies: 1 per ASCII or block/braille character, 2 per wide or emoji character. */
export function displayWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  return cells(text).reduce((sum, { width }) => sum + width, 0);
}

/** Shortens `text` to at most `width` cells, ending with `…` when anything was cut. */
export function truncate(text: string, width: number): string {
  const limit = Math.floor(width);
  if (limit <= 0) return '';
  if (displayWidth(text) <= limit) return text;
  let kept = '';
  let used = 0;
  for (const { cluster, width: size } of cells(text)) {
    if (used + size > limit - 1) break;
    kept += cluster;
    used += size;
  }
  return kept + ELLIPSIS;
}

/** Pads with spaces on the right to `width` cells; longer text is returned unchanged. */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, Math.floor(width) - displayWidth(text)));
}

/** Pads with spaces on the left to `width` cells; longer text is returned unchanged. */
export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, Math.floor(width) - displayWidth(text))) + text;
}

/** Exactly `width` cells: truncated with `…` if too long, padded on the side away from `align` if short. */
export function fitText(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const short = truncate(text, width);
  // A wide character that does not fit before the ellipsis can leave the text one cell short.
  return align === 'left' ? padEnd(short, width) : padStart(short, width);
}

/**
 * Shrinks column widths to fit `total` cells by capping the widest columns at an equal share (water-filling),
 * so narrow columns keep their full width; widths that already fit are returned as they are.
 */
export function fitColumns(widths: readonly number[], total: number): number[] {
  const wanted = widths.map((width) => Math.max(0, Math.floor(width)));
  let budget = Math.max(0, Math.floor(total));
  if (wanted.reduce((sum, width) => sum + width, 0) <= budget) return wanted;
  const result = [...wanted];
  const narrowestFirst = wanted.map((_, i) => i).sort((a, b) => (wanted[a] ?? 0) - (wanted[b] ?? 0) || a - b);
  for (const [rank, column] of narrowestFirst.entries()) {
    const remaining = narrowestFirst.length - rank;
    const share = Math.floor(budget / remaining);
    const width = wanted[column] ?? 0;
    if (width <= share) {
      budget -= width;
      continue;
    }
    // Every column from here on is at least this wide: cap them all, leftover cells to the leftmost.
    const capped = narrowestFirst.slice(rank).sort((a, b) => a - b);
    const leftover = budget - share * remaining;
    capped.forEach((index, n) => (result[index] = share + (n < leftover ? 1 : 0)));
    break;
  }
  return result;
}
