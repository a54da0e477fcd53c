// useApp through a real Ink render: an object selector must not loop (zustand 5's getSnapshot trap) and the
// component must follow store changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { createAppStore } from '../../src/store/app-store.js';
import { createUseApp, type UseApp } from '../../src/store/use-app.js';
import { node } from '../kube/views.js';

function Summary({ useApp }: { useApp: UseApp }) {
  // A new object on every call: without useShallow this renders forever ("Maximum update depth exceeded").
  const { screen, nodes, names } = useApp((s) => ({ screen: s.ui.screen, nodes: s.cluster.model.nodes.size, names: [...s.cluster.model.nodes.keys()].join(',') }));
  return <Text>{`${screen}:${nodes}:${names}`}</Text>;
}

async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('useApp with an object selector renders once per change and follows the store', async () => {
  const store = createAppStore();
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args);
  try {
    const app = render(<Summary useApp={createUseApp(store)} />);
    assert.equal(app.lastFrame(), 'nodes:0:');
    const { actions } = store.getState();
    actions.enqueue({ kind: 'nodes', event: { type: 'replace', items: [node('n1'), node('n2')] } });
    actions.flush();
    await waitFor(() => app.lastFrame() === 'nodes:2:n1,n2');
    actions.setScreen('machines');
    await waitFor(() => app.lastFrame() === 'machines:2:n1,n2');
    const frames = app.frames.length;
    actions.flash('info', 'unrelated'); // a change the selector does not read: no new frame
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(app.frames.length, frames);
    app.unmount();
  } finally {
    console.error = original;
    store.getState().actions.dispose();
  }
  assert.deepEqual(errors, []);
});
