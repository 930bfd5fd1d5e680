/**
 * Greedy CTC decoding that keeps each character's time span, from which word boxes are
 * estimated, and honours a class mask (language restriction) by taking the best allowed class.
 */
export interface DecodedChar {
  text: string;
  /** Best probability over the character's time steps. */
  prob: number;
  /** First and last time step (inclusive) the character was emitted at. */
  t0: number;
  t1: number;
}

export function ctcDecode(probs: Float32Array, steps: number, classes: number, charset: readonly string[], mask?: Uint8Array): DecodedChar[] {
  const out: DecodedChar[] = [];
  let prevIdx = 0;
  for (let t = 0; t < steps; t++) {
    const base = t * classes;
    let best = 0, bestP = -1;
    for (let k = 0; k < classes; k++) {
      const p = probs[base + k];
      if (p > bestP && (mask === undefined || mask[k] === 1)) { bestP = p; best = k; }
    }
    if (best !== 0 && best === prevIdx) {
      const last = out[out.length - 1];
      last.t1 = t;
      if (bestP > last.prob) last.prob = bestP;
    } else if (best !== 0) {
      out.push({ text: charset[best] ?? '', prob: bestP, t0: t, t1: t });
    }
    prevIdx = best;
  }
  return out;
}
