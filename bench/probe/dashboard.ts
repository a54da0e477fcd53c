// The dashboard as `deckhand` composes it (src/cli/ui.ts: app store, shell store, cluster link, <App> rendered by
// Ink with the same options), on an instrumented terminal, connected through an already running SOCKS tunnel. It
// reports to the benchmark over the IPC channel: when the model was complete and its first full frame drawn, its
// memory, keystroke-to-frame latencies and how many watch events it has applied.
import { createElement } from 'react';
import { render } from 'ink';
import { createClusterLink } from '../../src/cli/ui-link.js';
import { App } from '../../src/screens/app.js';
import { renderOptions } from '../../src/screens/render-options.js';
import { createAppStore } from '../../src/store/app-store.js';
import { createShellStore } from '../../src/store/shell-store.js';
import type { ProbeReply, ProbeRequest, ProbeSettings } from '../lib/protocol.js';
import { completeModel, counting } from './model.js';
import { typeScript } from './keys.js';
import { FakeStdin, FakeStdout } from './terminal.js';

const settings = JSON.parse(process.argv[2] ?? '{}') as ProbeSettings;
const send = (reply: ProbeReply) => process.send?.(reply);

const store = createAppStore();
const shell = createShellStore({
  session: { context: settings.context, profile: 'bench', production: false, readOnly: false, contexts: [settings.context], demo: false },
});
const link = createClusterLink({
  store, shell, log: () => undefined, kubeconfig: settings.kubeconfig, tunnelContext: settings.context,
  tunnelProxy: async () => settings.proxyUrl,
});
const churn = counting(store);
const stdout = new FakeStdout(settings.columns, settings.rows);
const stdin = new FakeStdin();
const app = render(createElement(App, { store, shell }), {
  stdout: stdout as unknown as NodeJS.WriteStream,
  stdin: stdin as unknown as NodeJS.ReadStream,
  ...renderOptions,
});
link.connect(settings.context);

const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external + m.arrayBuffers };
};

completeModel(store, stdout, settings.timeoutMs).then(
  (done) => send({ type: 'complete', at: performance.timeOrigin + done.frameAt, modelAt: performance.timeOrigin + done.modelAt, counts: done.counts, memory: memory() }),
  (err: unknown) => send({ type: 'error', message: (err as Error).message }),
);

const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (raw) => {
  const request = raw as ProbeRequest;
  void (async () => {
    switch (request.type) {
      case 'memory':
        if (request.collect && gc) {
          gc();
          gc();
        }
        return send({ type: 'memory', memory: memory(), counts: churn.counts() });
      case 'keys':
        return send({ type: 'keys', ...(await typeScript({ stdin, stdout, app: store, shell }, request.script, request.gapMs)) });
      case 'watch':
        churn.watch(request.names);
        return send({ type: 'watching' });
      case 'applied':
        return send({ type: 'applied', ...churn.applied(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() });
      case 'frame':
        return send({ type: 'frame', text: stdout.last.text });
      case 'quit':
        app.unmount();
        link.stop();
        store.getState().actions.dispose();
        // Watches and the keep-alive agent are closed by link.stop(); nothing else should hold the process.
        setTimeout(() => process.exit(0), 200).unref();
        process.disconnect?.();
        return;
    }
  })().catch((err: unknown) => send({ type: 'error', message: (err as Error).stack ?? String(err) }));
});
