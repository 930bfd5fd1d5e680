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
  const best = new Int32Array(steps), bestProb = new Float32Array(steps);
  for (let t = 0; t < steps; t++) {
    const base = t * classes;
    let b = 0, bestP = -1;
    for (let k = 0; k < classes; k++) {
      const p = probs[base + k];
      if (p > bestP && (mask === undefined || mask[k] === 1)) { bestP = p; b = k; }
    }
    best[t] = b; bestProb[t] = bestP;
  }
  return ctcCollapse(best, bestProb, charset);
}

/** Greedy CTC from the best class (0 = blank) and its probability at each time step. */
export function ctcCollapse(best: ArrayLike<number>, bestProb: ArrayLike<number>, charset: readonly string[]): DecodedChar[] {
  const out: DecodedChar[] = [];
  let prevIdx = 0;
  for (let t = 0; t < best.length; t++) {
    const b = best[t], p = bestProb[t];
    if (b !== 0 && b === prevIdx) {
      const last = out[out.length - 1];
      last.t1 = t;
      if (p > last.prob) last.prob = p;
    } else if (b !== 0) {
      out.push({ text: charset[b] ?? '', prob: p, t0: t, t1: t });
    }
    prevIdx = b;
  }
  return out;
}
