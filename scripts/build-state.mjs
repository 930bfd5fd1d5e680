/**
 * Whether docr's compiled build is current. dist/ holds src/ and sdk/src/ compiled to
 * JavaScript (scripts/build.mjs), beside a manifest of what it was made from: the size and
 * mtime of every input file and the mtime of every source folder (a file added, removed or
 * renamed changes its folder's). The build is current only while every input is exactly as
 * recorded and the same Node runs it, so an edit, a checkout or a new file makes bin/docr run
 * the sources through tsx until the next `npm run setup`: an edit is never run stale.
 * Checking is ~300 stat calls (~5 ms).
 *
 * Plain JavaScript: bin/docr reads it before any TypeScript can be loaded.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This repository's root. Every function takes another root for tests. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The folders compiled, mirrored under dist/ (dist/src/cli/main.js is src/cli/main.ts). */
export const SOURCE_TREES = ['src', 'sdk/src'];
/** Files outside the trees that shape the output. */
const BUILD_INPUTS = ['tsconfig.json', 'package.json', 'scripts/build.mjs', 'scripts/build-state.mjs', 'node_modules/esbuild/package.json'];
const MANIFEST_VERSION = 1;

export const distDir = (root = ROOT) => path.join(root, 'dist');
export const manifestPath = (root = ROOT) => path.join(root, 'dist', 'build-manifest.json');

/**
 * The inputs as they are now: { files: {path: [size, mtimeMs] | null}, dirs: {path: mtimeMs} },
 * paths relative to the root with forward slashes (null: a build input that does not exist).
 */
export function snapshotInputs(root = ROOT) {
  const files = {};
  const dirs = {};
  const walk = (rel) => {
    const here = statSync(path.join(root, rel), { throwIfNoEntry: false });
    if (!here?.isDirectory()) return;
    dirs[rel] = here.mtimeMs;
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) { const s = statSync(path.join(root, child)); files[child] = [s.size, s.mtimeMs]; }
    }
  };
  for (const tree of SOURCE_TREES) walk(tree);
  for (const rel of BUILD_INPUTS) {
    const s = statSync(path.join(root, rel), { throwIfNoEntry: false });
    files[rel] = s ? [s.size, s.mtimeMs] : null;
  }
  return { version: MANIFEST_VERSION, node: process.version, files, dirs };
}

export function readManifest(root = ROOT) {
  try {
    return JSON.parse(readFileSync(manifestPath(root), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether dist/ was built from the inputs exactly as they are now (no folder walk: the recorded folders' mtimes cover additions). */
export function buildIsCurrent(root = ROOT) {
  const manifest = readManifest(root);
  // Compiled for this Node's syntax: another Node rebuilds (or runs the sources).
  if (manifest?.version !== MANIFEST_VERSION || manifest.node !== process.version || !manifest.files || !manifest.dirs) return false;
  for (const [rel, mtime] of Object.entries(manifest.dirs)) {
    if (statSync(path.join(root, rel), { throwIfNoEntry: false })?.mtimeMs !== mtime) return false;
  }
  for (const [rel, want] of Object.entries(manifest.files)) {
    const s = statSync(path.join(root, rel), { throwIfNoEntry: false });
    if (want === null ? s !== undefined : s === undefined || s.size !== want[0] || s.mtimeMs !== want[1]) return false;
  }
  return true;
}

/** The compiled module of a source ("src/cli/main.ts" → file URL of dist/src/cli/main.js). */
export function compiledUrl(source, root = ROOT) {
  return pathToFileURL(path.join(distDir(root), source.replace(/\.ts$/, '.js'))).href;
}
