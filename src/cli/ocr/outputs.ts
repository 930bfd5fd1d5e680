/** Where `docr ocr` writes each result: a file for one input, a directory for several, or stdout. */
import { statSync } from 'node:fs';
import path from 'node:path';

/** Output path for `input`, or undefined for stdout. */
export function outputPathFor(input: string, out: string | undefined, inputCount: number, ext: string): string | undefined {
  if (out === undefined) return undefined;
  const isDir = inputCount > 1 || out.endsWith(path.sep) || (() => {
    try { return statSync(out).isDirectory(); } catch { return false; }
  })();
  if (!isDir) return out;
  const stem = path.basename(input).replace(/\.[^.]+$/, '');
  return path.join(out, `${stem}.${ext}`);
}

/** Several inputs may share a stem (a.png, a.jpg): later ones get "-2", "-3" so no result is overwritten. */
export function uniquePaths(paths: (string | undefined)[]): (string | undefined)[] {
  const seen = new Map<string, number>();
  return paths.map((p) => {
    if (p === undefined) return p;
    const n = (seen.get(p) ?? 0) + 1;
    seen.set(p, n);
    if (n === 1) return p;
    const ext = path.extname(p);
    return `${p.slice(0, p.length - ext.length)}-${n}${ext}`;
  });
}
