// Progress lines on stderr, with the time since the run started.
const started = performance.now();

/** Prints one progress line. */
export function log(line: string): void {
  process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
}

/** Waits. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Bytes as MB (10^6), the unit of the memory figures. */
export const mb = (bytes: number) => bytes / 1e6;
