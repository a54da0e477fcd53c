// The deckhand command line, compiled with the benchmarks from the current source: what bin/deckhand.js runs from
// dist/, without depending on dist/ being up to date.
import { main } from '../src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`deckhand: ${(err as Error)?.stack ?? String(err)}`);
    process.exitCode = 1;
  },
);
