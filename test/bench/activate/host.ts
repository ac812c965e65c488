/**
 * Runs dist/extension.js's activate() once in this process, with `vscode` answered by stubs that
 * accept any call (every property, call and `new` gives another such stub), and prints what
 * activate() reports: { activationMs, activationCpuMs, bundleEvaluationMs, loadMs }. Run by
 * activate.bench.ts in a child process of its own, so the stub and the work activate() leaves
 * running end with it. The stub costs nothing, so the figure is the extension's own JavaScript;
 * test/vscode/suite/activation.test.ts reads the same fields in a real extension host.
 */
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Anything: callable, constructible, every property another one; never a thenable. */
function anything(): unknown {
  return new Proxy(function stub() {}, {
    get(_target, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* empty() {};
      // `configuration.get(key, fallback)`, `memento.get(key, fallback)`: the fallback.
      if (key === 'get') return (_key: unknown, fallback?: unknown) => fallback;
      return anything();
    },
    set: () => true,
    apply: () => anything(),
    construct: () => anything() as object,
  });
}

/**
 * The module: every name @types/vscode exports, each a stub. A plain object, because the bundle
 * copies the module's own property names (esbuild's ESM interop), which a proxy does not list.
 */
const declarations = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
const vscode = Object.fromEntries([...declarations.matchAll(/^\s*export (?:declare )?(?:class|namespace|enum|const|function|let) (\w+)/gm)].map(([, name]) => [name!, anything()]));
const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
const load = loader._load;
loader._load = function (request, parent, isMain) {
  return request === 'vscode' ? vscode : load.call(this, request, parent, isMain);
};

// Whatever activate() starts and the stub cannot answer fails later, after the figure is taken.
process.on('unhandledRejection', () => undefined);

const packageJSON = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as unknown;
const context = new Proxy({
  subscriptions: [] as unknown[],
  extensionPath: ROOT,
  extensionUri: anything(),
  extension: { packageJSON, extensionPath: ROOT },
}, { get: (target, key) => (key in target ? target[key as keyof typeof target] : anything()) });

const started = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require(path.join(ROOT, 'dist/extension.js')) as { activate(context: unknown): { activationMs: number; activationCpuMs: number; bundleEvaluationMs?: number } };
const loadMs = performance.now() - started;
const api = extension.activate(context);
process.stdout.write(`${JSON.stringify({ activationMs: api.activationMs, activationCpuMs: api.activationCpuMs, bundleEvaluationMs: api.bundleEvaluationMs, loadMs })}\n`);
process.exit(0);
