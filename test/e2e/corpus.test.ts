/**
 * Every file of the developers' corpus through a live docr, as a user would send it:
 * each ends in a state its manifest allows, text is close to the ground truth, every
 * gt_contains string is found, every password case behaves as listed, the service stays
 * healthy and leaves no work files behind. Memory is sampled and printed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import { cer, normaliseForCer, scriptGroupOf } from '../../bench/lib/cer.js';
import { CORPUS_DIR, loadManifest, type CorpusFile } from './support/corpus.js';
import { apiLanguagesFor } from '../../bench/lib/corpus.js';
import { installedLanguageNames } from '../../src/engines/index.js';
import { createFileTask, mapLimit, waitFinal } from './support/client.js';
import { startDocr, type LiveDocr } from './live-docr.js';
import { rssOf, type Endpoint } from './support/client.js';

const manifest = loadManifest();
const installed = await installedLanguageNames();

/**
 * Outcomes docr does not reach yet, each with its reason, kept in sight rather than hidden:
 * they are printed on every run, and a listed miss that starts passing fails the run so that
 * the list only ever shrinks. Keys: `path` for the state check, `path: string` for gt_contains.
 */
const KNOWN_MISSES: Record<string, string> = {};

/** Splits findings into real failures and known misses; a known miss not found any more is a failure too. */
function againstKnownMisses(found: string[], keyOf: (f: string) => string, scope: (k: string) => boolean): string[] {
  const keys = new Set(found.map(keyOf));
  for (const f of found.filter((x) => KNOWN_MISSES[keyOf(x)] !== undefined)) console.log(`# known miss: ${f} (${KNOWN_MISSES[keyOf(f)]})`);
  const fixed = Object.keys(KNOWN_MISSES).filter((k) => scope(k) && !keys.has(k)).map((k) => `${k}: listed as a known miss but now passes; remove it from KNOWN_MISSES`);
  return [...found.filter((x) => KNOWN_MISSES[keyOf(x)] === undefined), ...fixed];
}

interface Run { file: CorpusFile; password: string | null; expected: string }
const runs: Run[] = manifest.files.flatMap((f) => (f.cases && f.cases.length > 0
  ? f.cases.map((c) => ({ file: f, password: c.password, expected: c.expected }))
  : [{ file: f, password: f.password, expected: f.expected }]));

let docr: LiveDocr;
let live: Endpoint;
let peakRss = 0;
let sampler: NodeJS.Timeout | undefined;

before(async () => {
  docr = await startDocr(['--workers', '2']);
  live = { baseUrl: docr.base, apiKey: (await docr.makeKey(100_000)).key };
  const pid = docr.child.pid ?? 0;
  sampler = setInterval(() => { void rssOf(pid).then((r) => { peakRss = Math.max(peakRss, r); }); }, 200);
});
after(async () => {
  if (sampler) clearInterval(sampler);
  await docr?.stop();
});

interface Outcome { run: Run; state: number; message: string; text?: string; gt?: string; cer?: number; rejected?: number }
const outcomes: Outcome[] = [];

/** Share of the reference's non-space characters (as a multiset) that the hypothesis holds. */
function charRecall(hypothesis: string, reference: string): number {
  const bag = new Map<string, number>();
  for (const c of normaliseForCer(hypothesis, 'cjk')) bag.set(c, (bag.get(c) ?? 0) + 1);
  const ref = [...normaliseForCer(reference, 'cjk')];
  let found = 0;
  for (const c of ref) {
    const n = bag.get(c) ?? 0;
    if (n > 0) { found += 1; bag.set(c, n - 1); }
  }
  return ref.length === 0 ? 1 : found / ref.length;
}

async function runOne(run: Run): Promise<Outcome> {
  const fields = {
    format: 'txt',
    // What a user would send; files without language tags take the API's default.
    language: run.file.languages.length === 0 ? undefined : apiLanguagesFor(run.file, installed).names.join(','),
    password: run.password ?? undefined,
  };
  const created = await createFileTask(live, path.join(CORPUS_DIR, run.file.path), fields);
  if (created.status !== 200 || !created.data.task_id) return { run, state: NaN, rejected: created.status, message: `create answered ${created.status}: ${created.message}` };
  const end = await waitFinal(live, created.data.task_id);
  const outcome: Outcome = { run, state: end.state, message: end.err_message ?? end.message };
  if (end.state === 1 && end.file) {
    const res = await fetch(end.file);
    outcome.text = await res.text();
    if (run.file.gt_path) {
      const gt = await readFile(path.join(CORPUS_DIR, run.file.gt_path), 'utf8');
      outcome.gt = gt;
      outcome.cer = cer(outcome.text, gt);
    }
  }
  return outcome;
}

test('every corpus file ends in a state its manifest allows', { timeout: 45 * 60_000 }, async () => {
  outcomes.push(...await mapLimit(runs, 4, runOne));
  // An empty file is a 400 at create (SPEC §1.2: present and non-empty): the clean client error for invalid-file.
  const cleanReject = (o: Outcome) => o.rejected === 400 && o.run.expected === 'invalid-file' && statSync(path.join(CORPUS_DIR, o.run.file.path)).size === 0;
  const wrong = outcomes.filter((o) => !cleanReject(o) && !(manifest.expected_states[o.run.expected] ?? []).includes(o.state))
    .map((o) => `${o.run.file.path} (password ${JSON.stringify(o.run.password)}): expected ${o.run.expected}, got state ${o.state}: ${o.message}`);
  assert.deepEqual(againstKnownMisses(wrong, (w) => w.split(' (password')[0], (k) => !k.includes(': ')), []);
});

test('failures carry a message that says what happened', () => {
  const silent = outcomes.filter((o) => o.state < 0 && (!o.message || o.message === 'success')).map((o) => o.run.file.path);
  assert.deepEqual(silent, []);
});

test('every gt_contains string is in the text', () => {
  const missing: string[] = [];
  for (const o of outcomes) {
    if (o.text === undefined) continue;
    for (const s of (o.run.file.gt_contains ?? [])) {
      const group = scriptGroupOf(s) === 'cjk' || scriptGroupOf(o.text) === 'cjk' ? 'cjk' : 'latin';
      if (!normaliseForCer(o.text, group).includes(normaliseForCer(s, group))) missing.push(`${o.run.file.path}: ${s}`);
    }
  }
  assert.deepEqual(againstKnownMisses(missing, (m) => m, (k) => k.includes(': ')), []);
});

test('text is close to the ground truth', () => {
  const rows = outcomes.filter((o) => o.cer !== undefined);
  const byGroup = new Map<string, number[]>();
  for (const o of rows) {
    const g = o.run.file.kind === 'pdf' || o.run.file.kind === 'office' ? o.run.file.kind : (o.run.file.languages.includes('zh-Hans') ? 'zh' : o.run.file.languages[0] === 'en' ? 'en' : 'other');
    byGroup.set(g, [...(byGroup.get(g) ?? []), o.cer ?? 1]);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const o of rows) console.log(`# CER ${(100 * (o.cer ?? 1)).toFixed(1).padStart(5)} %  ${o.run.file.path}`);
  for (const [g, xs] of byGroup) console.log(`# mean CER ${g}: ${(100 * mean(xs)).toFixed(1)} % over ${xs.length} files`);
  // Born-digital text layers and Office text are extracted, not recognised: every character
  // of the truth must be there. Order-free, because the truths' order is the extractor's
  // (pdftotext reads tables column by column; Office truths omit headers and footers), and
  // spreadsheets are left out: their PDF shows values as formatted, the truth holds them raw.
  const extracted = rows.filter((o) => o.run.file.gt?.quality === 'exact-text-layer' && o.run.file.format !== 'xlsx' && o.run.file.format !== 'xls');
  const lossy = extracted.map((o) => ({ o, recall: charRecall(o.text ?? '', o.gt ?? '') })).filter((r) => r.recall < 0.97);
  assert.deepEqual(lossy.map((r) => `${r.o.run.file.path}: recall ${r.recall.toFixed(3)}`), []);
  assert.ok(mean(byGroup.get('en') ?? [0]) <= 0.25, 'English images mean CER');
  assert.ok(mean(byGroup.get('zh') ?? [0]) <= 0.35, 'Chinese images mean CER');
});

test('the service is healthy afterwards and left no work files', async () => {
  console.log(`# peak RSS of docr serve: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  const res = await fetch(`${live.baseUrl}/healthz`);
  assert.equal(res.status, 200);
  const entries = await readdir(docr.dataDir, { recursive: true });
  const leftovers = entries.filter((e) => /(^|\/)(work|tmp)\/.+/.test(String(e)));
  assert.deepEqual(leftovers, []);
});
