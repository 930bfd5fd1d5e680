/**
 * The compiled build (scripts/build.mjs, scripts/build-state.mjs) and bin/docr's choice
 * between it and the sources, on a small repository of its own in a temp folder (bin/docr,
 * the build scripts, src/platform/compiled.ts and a two-module CLI): the sources run until a
 * build is made, the build runs while it is current, and an edit, a new file or a removed
 * file sends bin/docr back to the sources until the next build.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

let root: string;
const file = (rel: string) => path.join(root, rel);
const write = (rel: string, text: string) => { mkdirSync(path.dirname(file(rel)), { recursive: true }); writeFileSync(file(rel), text); };
const docr = () => execFileSync(process.execPath, [file('bin/docr')], { cwd: root, encoding: 'utf8' }).trim();
const build = () => execFileSync(process.execPath, [file('scripts/build.mjs')], { cwd: root, encoding: 'utf8' }).trim();
const isCurrent = () => spawnSync(process.execPath, [file('scripts/build.mjs'), '--check'], { cwd: root }).status === 0;

/** What the CLI prints: its greeting, whether it ran compiled, and the paths compiled.ts resolves. */
const MAIN = `import { REPO_ROOT, runsCompiled, sourceBeside } from '../platform/compiled.js';
import { greeting } from './greeting.js';
import data from './data.json' with { type: 'json' };
console.log(JSON.stringify({ greeting: greeting(), data, compiled: runsCompiled, self: import.meta.url, root: REPO_ROOT, source: sourceBeside('./greeting.ts', import.meta.url).href }));
`;

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'docr-build-'));
  for (const rel of ['bin/docr', 'scripts/build.mjs', 'scripts/build-state.mjs', 'src/platform/compiled.ts', 'tsconfig.json']) cpSync(path.join(REPO, rel), file(rel));
  writeFileSync(file('package.json'), JSON.stringify({ type: 'module' }));
  symlinkSync(path.join(REPO, 'node_modules'), file('node_modules'));
  write('src/cli/main.ts', MAIN);
  write('src/cli/greeting.ts', "export const greeting = (): string => 'hello';\n");
  write('src/cli/data.json', '{"n":1}\n');
});
after(() => rmSync(root, { recursive: true, force: true }));

describe('compiled build', () => {
  it('runs the sources through tsx until a build exists', () => {
    const out = JSON.parse(docr());
    assert.equal(out.compiled, false);
    assert.ok(out.self.endsWith('/src/cli/main.ts'), out.self);
    assert.equal(isCurrent(), false);
  });

  it('builds once, then runs the build, with the same root and source paths', () => {
    const fromSources = JSON.parse(docr());
    assert.match(build(), /compiled 3 TypeScript modules/);
    assert.equal(isCurrent(), true);
    assert.equal(build(), '', 'a second build with nothing changed does nothing');
    const out = JSON.parse(docr());
    assert.equal(out.compiled, true);
    assert.ok(out.self.endsWith('/dist/src/cli/main.js'), out.self);
    assert.deepEqual({ ...out, compiled: undefined, self: undefined }, { ...fromSources, compiled: undefined, self: undefined });
    assert.equal(out.root, root.endsWith('/') ? root : `${root}/`);
    assert.equal(out.source, `file://${file('src/cli/greeting.ts')}`);
  });

  it('an edit after the build runs the edited source, until the next build', () => {
    write('src/cli/greeting.ts', "export const greeting = (): string => 'hello, edited';\n");
    assert.equal(isCurrent(), false);
    assert.deepEqual([JSON.parse(docr()).greeting, JSON.parse(docr()).compiled], ['hello, edited', false]);
    build();
    assert.deepEqual([JSON.parse(docr()).greeting, JSON.parse(docr()).compiled], ['hello, edited', true]);
  });

  it('a file added or removed makes the build stale; a rebuild drops what was removed', () => {
    write('src/cli/extra.ts', 'export const extra = 1;\n');
    assert.equal(isCurrent(), false);
    build();
    assert.ok(existsSync(file('dist/src/cli/extra.js')));
    rmSync(file('src/cli/extra.ts'));
    assert.equal(isCurrent(), false);
    build();
    assert.equal(existsSync(file('dist/src/cli/extra.js')), false);
    assert.equal(readFileSync(file('dist/src/cli/data.json'), 'utf8'), '{"n":1}\n');
    assert.equal(JSON.parse(docr()).compiled, true);
  });

  it('DOCR_RUN_SOURCES=1 runs the sources even when the build is current', () => {
    const out = execFileSync(process.execPath, [file('bin/docr')], { cwd: root, encoding: 'utf8', env: { ...process.env, DOCR_RUN_SOURCES: '1' } });
    assert.equal(JSON.parse(out).compiled, false);
  });
});
