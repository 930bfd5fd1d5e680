/**
 * Whether this process runs docr's compiled build (dist/, JavaScript made by scripts/build.mjs)
 * or the TypeScript sources through tsx, and the paths that differ between the two. Code that
 * starts a thread or process on one of its own modules names the compiled .js (no loader
 * needed) or the .mjs boot that registers tsx first; code that reads files of the repository
 * resolves them from the repository's root, which is one folder further up in dist/.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** This module is src/platform/compiled.ts, or dist/src/platform/compiled.js in the build. */
export const runsCompiled = !import.meta.url.endsWith('.ts');

/** The repository's root folder (where package.json, bin/ and web/ are). */
export const REPO_ROOT = fileURLToPath(new URL(runsCompiled ? '../../../' : '../../', import.meta.url));

/** A path under the repository's root. */
export function repoPath(relative: string): string {
  return path.join(REPO_ROOT, relative);
}

/**
 * The TypeScript source `name` beside the module at `moduleUrl` (for code that hashes its own
 * sources: the hash must not depend on whether the sources or the build run).
 */
export function sourceBeside(name: string, moduleUrl: string): URL {
  const dist = pathToFileURL(path.join(REPO_ROOT, 'dist/')).href;
  return new URL(name, runsCompiled && moduleUrl.startsWith(dist) ? pathToFileURL(REPO_ROOT).href + moduleUrl.slice(dist.length) : moduleUrl);
}
