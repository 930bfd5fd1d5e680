/**
 * How far two recogniser outputs (steps × classes probabilities, row-major) agree: the largest
 * absolute difference and the number of steps whose best class differs. Used to check that a
 * rewritten graph computes what the shipped model computes.
 */
export function recAgreement(p: Float32Array, q: Float32Array, steps: number): { worst: number; disagree: number } {
  const classes = p.length / steps;
  let worst = 0, disagree = 0;
  for (let s = 0; s < steps; s++) {
    let ia = 0, ib = 0;
    for (let k = 0; k < classes; k++) {
      const o = s * classes + k;
      worst = Math.max(worst, Math.abs(p[o] - q[o]));
      if (p[o] > p[s * classes + ia]) ia = k;
      if (q[o] > q[s * classes + ib]) ib = k;
    }
    if (ia !== ib) disagree++;
  }
  return { worst, disagree };
}
