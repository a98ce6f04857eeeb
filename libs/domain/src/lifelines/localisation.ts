/**
 * Leak localisation by matching residual patterns (Pérez et al. 2011, "Methodology for leakage
 * isolation using pressure sensitivity analysis in water distribution networks", Control Engineering
 * Practice 19(10):1157): the vector of pressure residuals at the sensors is compared, by the cosine of
 * the angle between them, with the residual vector a leak simulated at each candidate junction gives.
 */

/** Cosine of the angle between two vectors of equal length (0 when either is all zeros). */
export function cosine(a: number[], b: number[]): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * Ranks candidate leak junctions by how well their simulated signature matches the observed residuals.
 * @param residuals observed residual per sensor (measured − expected, metres), sensors in a fixed order
 * @param signatures candidate junction id → simulated residual per sensor (same order)
 * @returns candidates, best first, with their cosine score in [−1, 1]
 * @throws RangeError when a signature's length differs from the residuals'
 */
export function rankLeakCandidates(residuals: number[], signatures: Map<string, number[]>): { node: string; score: number }[] {
  const out: { node: string; score: number }[] = [];
  for (const [node, s] of signatures) {
    if (s.length !== residuals.length) throw new RangeError(`signature of ${node} has ${s.length} sensors, residuals have ${residuals.length}`);
    out.push({ node, score: cosine(residuals, s) });
  }
  return out.sort((a, b) => b.score - a.score || a.node.localeCompare(b.node));
}

/**
 * Sensor placement for isolability (a greedy version of the sensitivity-matrix criterion of Pérez et
 * al. 2011): starts at the junction whose pressure responds most to leaks anywhere, then adds the
 * junction that most lowers the mean, over candidate leaks, of the highest cosine between that leak's
 * signature and any other leak's (leaks that look alike cannot be told apart).
 * @param sensitivity leak junction → pressure change at every junction (same junction order as `nodes`)
 * @param nodes junction ids, the columns of `sensitivity`
 * @param k number of sensors
 * @returns the chosen junction ids, in the order chosen
 */
export function placeSensors(sensitivity: Map<string, number[]>, nodes: string[], k: number): string[] {
  const leaks = [...sensitivity.keys()];
  const chosen: number[] = [];
  const total = nodes.map((_, j) => leaks.reduce((s, l) => s + Math.abs(sensitivity.get(l)![j]), 0));
  chosen.push(total.indexOf(Math.max(...total)));
  const confusion = (cols: number[]) => {
    const sig = leaks.map((l) => cols.map((j) => sensitivity.get(l)![j]));
    let sum = 0;
    for (let a = 0; a < sig.length; a++) {
      let worst = -1;
      for (let b = 0; b < sig.length; b++) if (a !== b) worst = Math.max(worst, cosine(sig[a], sig[b]));
      sum += worst;
    }
    return sum / sig.length;
  };
  while (chosen.length < Math.min(k, nodes.length)) {
    let best = -1;
    let bestScore = Infinity;
    for (let j = 0; j < nodes.length; j++) {
      if (chosen.includes(j)) continue;
      const s = confusion([...chosen, j]);
      if (s < bestScore - 1e-12) {
        bestScore = s;
        best = j;
      }
    }
    chosen.push(best);
  }
  return chosen.map((j) => nodes[j]);
}
