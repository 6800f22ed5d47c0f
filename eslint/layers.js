// The layer table of ARCHITECTURE.md as a lint rule: an import may only point at a layer its own layer may
// use, and pure layers may not import Node built-ins or packages. One table, checked on every file.
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** layer → { may: layers it may import, packages: npm packages allowed (true = any), node: Node built-ins allowed } */
export const LAYERS = {
  'core/api': { may: [], packages: ['zod'], node: false },
  'core/raft': { may: [], packages: [], node: false },
  'core/codec': { may: ['core/raft'], packages: [], node: false },
  'core/host': { may: ['core/raft'], packages: [], node: false },
  'core/kv': { may: ['core/raft', 'core/api', 'core/codec/binary'], packages: [], node: false },
  'core/check': { may: ['core/api'], packages: [], node: false },
  'core/stats': { may: [], packages: [], node: false },
  // Recorded runs: the trace lines, the time index, message pairing and the spacetime diagram.
  'core/trace': { may: ['core/api', 'core/stats'], packages: [], node: false },
  'core/sim': { may: ['core/raft', 'core/host', 'core/storage/memory-storage', 'core/kv'], packages: [], node: false },
  'core/storage': { may: ['core/raft', 'core/codec'], packages: [], node: true },
  'core/pki': { may: [], packages: ['node-forge'], node: true },
  'core/transport': { may: ['core/raft', 'core/codec', 'core/pki', 'core/api/log'], packages: [], node: true },
  'core/client': { may: ['core/api', 'core/pki'], packages: [], node: true },
  // A workspace folder: cluster.json (schema, defaults, validation), its layout, loading and saving.
  'core/workspace': { may: ['core/api'], packages: ['zod'], node: true },
  'core/node': {
    may: ['core/raft', 'core/host', 'core/codec', 'core/storage', 'core/transport', 'core/pki', 'core/kv', 'core/client', 'core/api', 'core/workspace'],
    packages: ['pino'],
    node: true,
  },
  'core/cluster': {
    may: ['core/api', 'core/workspace', 'core/pki', 'core/client', 'core/node/ipc-protocol', 'core/kv', 'core/stats', 'core/trace'],
    packages: ['tcp-port-used', 'pino'],
    node: true,
  },
  'core/chaos': { may: ['core/api', 'core/workspace', 'core/cluster', 'core/client', 'core/check', 'core/stats'], packages: [], node: true },
  'core/bench': { may: ['core/api', 'core/workspace', 'core/cluster', 'core/client', 'core/stats'], packages: [], node: true },
  'core/console': { may: ['core/api', 'core/workspace', 'core/cluster', 'core/client', 'core/chaos', 'core/trace'], packages: ['ws'], node: true },
  'core/cli': {
    may: ['core/api', 'core/workspace', 'core/cluster', 'core/client', 'core/check', 'core/chaos', 'core/bench', 'core/console', 'core/pki', 'core/trace'],
    packages: ['commander', 'vite'],
    node: true,
  },
  electron: { may: ['core/api', 'core/workspace', 'core/cluster', 'core/console', 'core/chaos'], packages: ['electron', 'zod'], node: true },
  renderer: { may: ['core/api', 'core/trace', 'core/stats'], packages: ['svelte', 'uplot'], node: false },
  // Runs in Node at build time, not in the page.
  'renderer/vite.config': { may: [], packages: ['vite', '@sveltejs/vite-plugin-svelte'], node: true },
};

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function layerOf(absFile) {
  const rel = path.relative(root, absFile).split(path.sep).join('/');
  let best = null;
  for (const layer of Object.keys(LAYERS)) {
    if ((rel === layer || rel.startsWith(layer + '/') || rel.startsWith(layer + '.')) && (!best || layer.length > best.length)) best = layer;
  }
  return best;
}

function targetAllowed(rule, targetRel) {
  return rule.may.some((m) => targetRel === m || targetRel.startsWith(m + '/') || targetRel.startsWith(m + '.'));
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export const layersPlugin = {
  rules: {
    'import-direction': {
      meta: { type: 'problem', schema: [], messages: { bad: '{{from}} may not import {{what}} (see the layer table in ARCHITECTURE.md).' } },
      create(context) {
        const file = context.filename;
        const own = layerOf(file);
        if (!own) return {};
        const rule = LAYERS[own];
        function check(node, spec) {
          if (typeof spec !== 'string') return;
          if (spec.startsWith('.')) {
            const target = path.resolve(path.dirname(file), spec);
            const targetLayer = layerOf(target);
            if (!targetLayer || targetLayer === own) return;
            const targetRel = path.relative(root, target).split(path.sep).join('/');
            if (!targetAllowed(rule, targetRel)) context.report({ node, messageId: 'bad', data: { from: own, what: targetRel } });
          } else if (builtins.has(spec)) {
            if (!rule.node) context.report({ node, messageId: 'bad', data: { from: own, what: `Node built-in ${spec}` } });
          } else {
            const pkg = packageName(spec);
            if (!rule.packages.includes(pkg)) context.report({ node, messageId: 'bad', data: { from: own, what: `package ${pkg}` } });
          }
        }
        return {
          ImportDeclaration: (n) => check(n, n.source.value),
          ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
          ExportAllDeclaration: (n) => check(n, n.source.value),
          ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
        };
      },
    },
  },
};
