// Lint rules, including the import direction of ARCHITECTURE.md:
// screens → store → kube | tunnel | runbooks → format; sim is used only by cli, tests and benchmarks.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const layer = (target, from, message, except) => ({ target, from, message, ...(except ? { except } : {}) });

/**
 * Which libraries each area may import: one file per external library (codebase-anchors.md, "one door").
 * Later entries override earlier ones for the files they name, so specific files come last.
 */
const libraries = ['@kubernetes/client-node', 'ssh2', 'ink', 'react', 'zustand', 'socks-proxy-agent'];
const areas = [
  { files: ['src/**'], allow: [] },
  { files: ['src/screens/**', 'src/cli/**'], allow: ['ink', 'react', 'zustand'] },
  { files: ['src/store/**'], allow: ['zustand'] },
  { files: ['src/kube/client.ts', 'src/kube/kubeconfig-loader.ts'], allow: ['@kubernetes/client-node', 'socks-proxy-agent'] },
  { files: ['src/tunnel/ssh.ts', 'src/sim/bastion.ts'], allow: ['ssh2'] },
];
const fence = ({ files, allow }) => {
  const banned = libraries.filter((l) => !allow.includes(l));
  const message = (l) => `${l} has one door (see eslint.config.js areas); import our own module instead`;
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', {
        paths: banned.map((name) => ({ name, message: message(name) })),
        patterns: banned.map((name) => ({ group: [`${name}/*`], message: message(name) })),
      }],
    },
  };
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/.work/**', '.scratch/**'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      'import-x/no-restricted-paths': ['error', { zones: [
        layer('./src/format', './src/{kube,tunnel,runbooks,store,screens,sim,cli}/**', 'format is pure and imports no other layer'),
        layer('./src/kube', './src/{store,screens,runbooks,sim,cli,tunnel}/**', 'kube imports only format'),
        layer('./src/tunnel', './src/{store,screens,runbooks,sim,cli,kube}/**', 'tunnel imports only format'),
        layer('./src/runbooks', './src/{store,screens,sim,cli}/**', 'runbooks use kube and tunnel, never the UI'),
        layer('./src/store', './src/{screens,sim,cli}/**', 'the store never imports screens or the simulator'),
        layer('./src/screens', './src/{sim,cli}/**', 'screens never import the simulator or the composition root'),
        layer('./src/screens', './src/kube', 'screens read the store; only view types come from kube', ['./types.ts']),
        layer('./src/screens', './src/tunnel', 'screens read the store; only view types come from tunnel', ['./types.ts']),
        layer('./src/sim', './src/{kube,tunnel,runbooks,store,screens,cli}/**', 'the simulator stands alone'),
      ] }],
    },
  },
  ...areas.map(fence),
);
