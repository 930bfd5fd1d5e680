/**
 * Shared by the normalise*.test.ts files: the corpus manifest, what each `expected` value
 * allows, and a runner that opens a file through the real Normaliser and iterates its pages.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isDocrError, taskStateOf, type ErrorCode } from '../../src/domain/errors.js';
import { pageLines } from '../../src/domain/ocr-tree.js';
import { createNormaliser, type NormaliserOptions } from '../../src/normalisers/index.js';
import type { Normaliser, NormalisedPage } from '../../src/ports/normaliser.js';

import { CORPUS } from '../fixtures/corpus.js';
export { CORPUS };

export interface ManifestFile {
  path: string;
  format: string;
  kind: string;
  expected: string;
  password: string | null;
  cases?: Array<{ password: string | null; expected: string }>;
  gt_path?: string;
  gt_contains?: string[];
  tags?: string[];
}

export const manifest = JSON.parse(readFileSync(path.join(CORPUS, 'manifest.json'), 'utf8')) as { files: ManifestFile[] };

export type Outcome =
  | { ok: true; kind: string; pages: Array<Omit<NormalisedPage, 'renderImage'>>; text: string }
  | { ok: false; code: ErrorCode; state: number; message: string };

/** Which outcomes an `expected` value allows: 'pages' and/or error codes. */
const ALLOWED: Record<string, Array<'pages' | ErrorCode>> = {
  'ok': ['pages'],
  'ok-empty': ['pages'],
  'invalid-file': ['INVALID_FILE', 'UNSUPPORTED_FORMAT'],
  'unsupported-format': ['UNSUPPORTED_FORMAT', 'INVALID_FILE'],
  'password-required': ['PASSWORD_REQUIRED'],
  'wrong-password': ['WRONG_PASSWORD'],
  'rejected-too-large': ['OUTSIDE_LIMITS'],
  'ok-or-invalid': ['pages', 'INVALID_FILE', 'UNSUPPORTED_FORMAT'],
  'ok-or-unsupported': ['pages', 'UNSUPPORTED_FORMAT', 'INVALID_FILE'],
  'ok-or-rejected-too-large': ['pages', 'OUTSIDE_LIMITS'],
  'ok-or-wrong-password': ['pages', 'WRONG_PASSWORD'],
};

export function allowed(expected: string, outcome: Outcome): boolean {
  const list = ALLOWED[expected];
  if (!list) throw new Error(`unknown expected value ${expected}`);
  return outcome.ok ? list.includes('pages') && outcome.pages.length > 0 : list.includes(outcome.code);
}

/** Every (password, expected) pair to try for a file. */
export function casesOf(f: ManifestFile): Array<{ password: string | undefined; expected: string }> {
  const cases = f.cases ?? [{ password: f.password, expected: f.expected }];
  return cases.map((c) => ({ password: c.password ?? undefined, expected: c.expected }));
}

/** Opens and iterates the whole document; page images are kept without their bytes. */
export async function normalise(n: Normaliser, file: string, password: string | undefined, workDir: string): Promise<Outcome> {
  try {
    const doc = await n.open({ path: file, password, workDir, declaredName: path.basename(file) });
    const pages: Array<Omit<NormalisedPage, 'renderImage'>> = [];
    const text: string[] = [];
    try {
      for await (const p of doc.pages()) {
        pages.push({ index: p.index, textPage: p.textPage, image: p.image && { ...p.image, data: Buffer.alloc(0) } });
        if (p.image) assertPng(p.image.data);
        if (p.textPage) text.push(pageLines(p.textPage).map((l) => l.text).join('\n'));
      }
    } finally {
      await doc.close();
    }
    return { ok: true, kind: doc.kind, pages, text: text.join('\n') };
  } catch (e) {
    if (!isDocrError(e)) throw e;
    return { ok: false, code: e.code, state: taskStateOf(e), message: e.message };
  }
}

function assertPng(data: Buffer): void {
  if (!data.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) throw new Error('page image is not a PNG');
}

export const describeOutcome = (o: Outcome) => (o.ok ? `${o.pages.length} page(s) of ${o.kind}` : `${o.code}: ${o.message}`);

/** Character-bag error: like CER but blind to reading order (tables read row- vs column-wise). */
export function bagError(hyp: string, ref: string): number {
  const count = (s: string) => {
    const m = new Map<string, number>();
    for (const c of s.normalize('NFKC').replace(/\s+/gu, '')) m.set(c, (m.get(c) ?? 0) + 1);
    return m;
  };
  const h = count(hyp), r = count(ref);
  let diff = 0, total = 0;
  for (const [c, k] of r) { total += k; diff += Math.abs(k - (h.get(c) ?? 0)); }
  for (const [c, k] of h) if (!r.has(c)) diff += k;
  return total === 0 ? (diff === 0 ? 0 : 1) : diff / total;
}

export interface CorpusSuite {
  normaliser: Normaliser;
  workDir(): string;
}

/**
 * One test per (file, password case): the outcome is allowed by the manifest and the work dir
 * is empty after close; `check` adds the file-specific assertions; `more` adds other tests.
 */
export function describeCorpus(name: string, files: readonly ManifestFile[], options: NormaliserOptions,
  check: (f: ManifestFile, expected: string, outcome: Outcome) => Promise<void>, more?: (suite: CorpusSuite) => void): void {
  describe(name, () => {
    const normaliser = createNormaliser(options);
    let dir = '';
    before(async () => { dir = await mkdtemp(path.join(os.tmpdir(), 'docr-normalise-')); });
    after(async () => { await normaliser.close(); await rm(dir, { recursive: true, force: true }); });
    for (const f of files) {
      for (const c of casesOf(f)) {
        test(`${f.path} password=${JSON.stringify(c.password)} → ${c.expected}`, async () => {
          const outcome = await normalise(normaliser, path.join(CORPUS, f.path), c.password, dir);
          assert.ok(allowed(c.expected, outcome), `${f.path}: expected ${c.expected}, got ${describeOutcome(outcome)}`);
          assert.deepEqual(await readdir(dir), [], 'work dir is empty after close');
          await check(f, c.expected, outcome);
        });
      }
    }
    more?.({ normaliser, workDir: () => dir });
  });
}
