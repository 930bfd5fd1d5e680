#!/usr/bin/env node
/**
 * `node scripts/build.mjs [--force] [--check] [--root DIR]`: compiles src/ and sdk/src/ to
 * JavaScript under dist/ when they changed since the last build (scripts/build-state.mjs says
 * when), and does nothing otherwise. Called by scripts/setup.sh, so `npm run setup`,
 * `npm start` and `npm test` leave a current build. `--force` rebuilds; `--check` only says
 * (exit 0 current, 1 not).
 *
 * Why: under tsx every process (the CLI, each engine process or thread, each MuPDF thread)
 * starts a loader thread and sends every import through it, a third of docr ocr's start-up.
 * The build is esbuild's per-file transform, as tsx's own (one .js per .ts at the same
 * relative path, packages left in node_modules, lazy `await import`s kept lazy), so compiled
 * and source runs behave alike; other files in the trees (rec.ranges.json) are copied.
 *
 * Safe beside running processes and other builds: files are written to a private folder and
 * renamed into place one by one; the manifest is removed first and written last.
 */
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildIsCurrent, distDir, manifestPath, ROOT, snapshotInputs, SOURCE_TREES } from './build-state.mjs';

const { values: args } = parseArgs({ options: { force: { type: 'boolean' }, check: { type: 'boolean' }, root: { type: 'string' } } });
const root = path.resolve(args.root ?? ROOT);
if (args.check) process.exit(buildIsCurrent(root) ? 0 : 1);
if (!args.force && buildIsCurrent(root)) process.exit(0);

const t0 = performance.now();
const inputs = snapshotInputs(root); // before reading any source: an edit during the build leaves it stale
const sources = Object.keys(inputs.files).filter((f) => SOURCE_TREES.some((t) => f.startsWith(`${t}/`)));
const code = sources.filter((f) => f.endsWith('.ts'));
const assets = sources.filter((f) => !f.endsWith('.ts'));
const dist = distDir(root);

rmSync(manifestPath(root), { force: true });
const scratch = path.join(dist, `.build-${process.pid}-${Date.now().toString(36)}`);
try {
  const { build } = await import('esbuild');
  await build({
    absWorkingDir: root,
    entryPoints: code,
    outdir: scratch,
    outbase: '.',
    format: 'esm',
    platform: 'node',
    // As tsx does: this Node's syntax (import attributes are dropped for the older 'node20').
    target: `node${process.versions.node}`,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    // For `node --enable-source-maps` (stack traces in .ts lines); Node reads none by default.
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
  });
  for (const f of assets) {
    mkdirSync(path.dirname(path.join(scratch, f)), { recursive: true });
    copyFileSync(path.join(root, f), path.join(scratch, f));
  }
  const produced = new Set();
  const move = (rel) => {
    for (const e of readdirSync(path.join(scratch, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) { move(child); continue; }
      mkdirSync(path.dirname(path.join(dist, child)), { recursive: true });
      renameSync(path.join(scratch, child), path.join(dist, child));
      produced.add(child);
    }
  };
  move('');
  // Outputs of sources since deleted or renamed must not linger (an import of them would still work).
  const prune = (rel) => {
    let entries;
    try { entries = readdirSync(path.join(dist, rel), { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) prune(child);
      else if (!produced.has(child)) rmSync(path.join(dist, child), { force: true });
    }
  };
  for (const tree of SOURCE_TREES) prune(tree);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const tmp = `${manifestPath(root)}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify({ builtAt: new Date().toISOString(), ...inputs }));
renameSync(tmp, manifestPath(root));
console.log(`setup: compiled ${code.length} TypeScript modules into ${path.relative(process.cwd(), dist) || '.'}/ (${Math.round(performance.now() - t0)} ms)`);
