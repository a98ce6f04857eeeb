import type { RoadNetwork } from '../road-network';

/**
 * Travel seconds from every source node to every target node, row-major `targets x sources`
 * (`out[t * sources.length + s]`), one reverse one-to-many search per target
 * (`RoadNetwork.travelTimesTo`). Times above `maxSeconds` are Infinity. Use for incident x unit ETAs
 * (targets = incident nodes, sources = unit nodes), e.g. as `TravelMatrix.seconds`.
 * @throws RangeError for an invalid node (from `travelTimesTo`)
 */
export function travelSecondsToTargets(
  network: RoadNetwork,
  targetNodes: readonly number[],
  sourceNodes: readonly number[],
  maxSeconds = Infinity,
): Float64Array {
  const S = sourceNodes.length;
  const out = new Float64Array(targetNodes.length * S);
  targetNodes.forEach((t, i) => out.set(network.travelTimesTo(t, sourceNodes, maxSeconds), i * S));
  return out;
}

/**
 * Travel seconds from every position (station or unit node) to every demand zone node, row-major
 * `positions x zones`, as `CoverageInput.positionToZoneSeconds` wants it; bounded by `maxSeconds`
 * (default 480 s, the NFPA 1710 ALS target: farther is Infinity, which is all coverage needs).
 */
export function positionToZoneSeconds(
  network: RoadNetwork,
  positionNodes: readonly number[],
  zoneNodes: readonly number[],
  maxSeconds = 480,
): Float64Array {
  const P = positionNodes.length;
  const Z = zoneNodes.length;
  const out = new Float64Array(P * Z);
  zoneNodes.forEach((zn, z) => {
    const col = network.travelTimesTo(zn, positionNodes, maxSeconds);
    for (let p = 0; p < P; p++) out[p * Z + z] = col[p];
  });
  return out;
}
