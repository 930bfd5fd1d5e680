/**
 * sdk/ is a package of its own: `tsc -p sdk` emits ESM with type declarations; the built
 * entries load in plain Node (no tsx); the browser entry's module graph touches no Node
 * built-in, and no entry reaches server code (only src/contract's types and constants).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Relative imports of a built module, followed through the graph from `entry`. */
function moduleGraph(entry: string): { files: string[]; bare: string[] } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files: [...files], bare: [...bare] };
}

describe('the @docr/sdk package', { timeout: 120_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-sdk-build-'));
  const built = (rel: string) => path.join(out, 'sdk/src', rel);
  before(async () => {
    await exec(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'sdk/tsconfig.json'), '--outDir', out]);
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it('builds ESM with declarations at the paths package.json exports', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'sdk/package.json'), 'utf8'));
    const targets = [pkg.exports['.'].node.types, pkg.exports['.'].node.default, pkg.exports['.'].types, pkg.exports['.'].default];
    for (const t of targets) assert.ok(fs.existsSync(path.join(out, t.replace(/^\.\/dist\//, ''))), `${t} was built`);
    assert.equal(pkg.type, 'module');
  });

  it('loads in plain Node and exports the client, the errors and verifyWebhook', async () => {
    const script = `const m = await import(${JSON.stringify(pathToFileURL(built('node.js')).href)});
      const c = new m.DocrClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
      console.log(JSON.stringify({ client: typeof c.createTask, download: typeof c.downloadTo, verify: typeof m.verifyWebhook, errors: new m.TaskFailedError('x', { state: -7 }) instanceof m.DocrError }));`;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script]);
    assert.deepEqual(JSON.parse(stdout), { client: 'function', download: 'function', verify: 'function', errors: true });
  });

  it('the browser entry needs no Node built-in, and no entry reaches server code', () => {
    const browser = moduleGraph(built('index.js'));
    assert.deepEqual(browser.bare, [], 'the browser build imports only its own modules');
    const node = moduleGraph(built('node.js'));
    assert.ok(node.bare.every((b) => b.startsWith('node:')), node.bare.join(', '));
    for (const f of [...browser.files, ...node.files]) {
      const rel = path.relative(out, f);
      assert.ok(rel.startsWith('sdk/src/') || rel.startsWith('src/contract/'), `${rel} is part of the SDK`);
    }
  });
});
