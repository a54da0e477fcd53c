// Where things are, from the compiled benchmark's own location (bench/.work/build/bench/lib/).
import { fileURLToPath } from 'node:url';

/** The deckhand command line compiled with the benchmarks (bench/cli.ts). */
export const deckhandCli = fileURLToPath(new URL('../cli.js', import.meta.url));
/** The dashboard probe (bench/probe/dashboard.ts). */
export const dashboardProbe = fileURLToPath(new URL('../probe/dashboard.js', import.meta.url));
/** bench/ in the source tree, where the results are written. */
export const benchDir = fileURLToPath(new URL('../../../../', import.meta.url));
/** Scratch space for one run (git-ignored). */
export const workDir = fileURLToPath(new URL('../../../run/', import.meta.url));
