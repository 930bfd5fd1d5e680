/**
 * Character error rate exactly as ../shared/MEASURING.md defines it, so every figure in
 * tests and benchmarks means one thing: NFKC; whitespace collapsed for space-separated
 * scripts, removed for CJK; Levenshtein over code points / reference length, capped at 1.
 */

export type ScriptGroup = 'latin' | 'cjk';

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/u;

/** Chinese, Japanese, Korean when the reference text is mostly in those scripts. */
export function scriptGroupOf(reference: string): ScriptGroup {
  const chars = [...reference.replace(/\s+/g, '')];
  if (chars.length === 0) return 'latin';
  const cjk = chars.filter((c) => CJK_RE.test(c)).length;
  return cjk / chars.length >= 0.3 ? 'cjk' : 'latin';
}

export function normaliseForCer(text: string, group: ScriptGroup): string {
  const t = text.normalize('NFKC');
  return group === 'cjk' ? t.replace(/\s+/gu, '') : t.replace(/\s+/gu, ' ').trim();
}

/** Levenshtein distance over code points, O(n·m) time, O(m) memory. */
export function levenshtein(a: string, b: string): number {
  const x = [...a], y = [...b];
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Uint32Array(y.length + 1);
  let cur = new Uint32Array(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    const xi = x[i - 1];
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1] + (xi === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

export interface CerOptions {
  /** Upper-case both texts first: the manifest's `gt_case: "upper"` (truths upper-cased although the image prints mixed case). */
  upperCase?: boolean;
}

/** CER of `hypothesis` against `reference`, capped at 1. Group defaults to the reference's script. */
export function cer(hypothesis: string, reference: string, group: ScriptGroup = scriptGroupOf(reference), options: CerOptions = {}): number {
  const cased = (t: string) => (options.upperCase ? t.toUpperCase() : t);
  const ref = cased(normaliseForCer(reference, group));
  const hyp = cased(normaliseForCer(hypothesis, group));
  if (ref.length === 0) return hyp.length === 0 ? 0 : 1;
  return Math.min(1, levenshtein(hyp, ref) / [...ref].length);
}
