#!/usr/bin/env node
// The program is compiled to dist/ by `npm ci` (the `prepare` script) or `npm run build`.
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(`deckhand: ${err?.stack ?? err}`); process.exitCode = 1; },
);
