#!/usr/bin/env node
// The program is compiled to dist/ by `npm ci` (the `prepare` script) or `npm run build`.
// React's development build diffs props and records a performance mark per render (bench: up to 17% of CPU and
// 3x slower paging at 20,000 jobs); a user's run is production unless NODE_ENV says otherwise.
process.env.NODE_ENV ??= 'production';
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { if (typeof code === 'number') process.exitCode = code; },
  (err) => { console.error(`deckhand: ${err?.stack ?? err}`); process.exitCode = 1; },
);
