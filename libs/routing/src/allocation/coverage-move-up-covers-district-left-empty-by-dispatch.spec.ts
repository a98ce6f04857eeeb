import fc from 'fast-check';
import { computeCoverage, MoveUpInput, recommendMoveUps } from './coverage';
import { solveMoveUpsInWorker } from './move-up-worker';

/**
 * A line of four stations 0..3, 200 s apart, one zone at each (weights 5, 1, 1, 8); travel from a
 * station to a zone is 30 s plus 250 s per station between them. An engine covers its own zone only
 * (30 s; 280 s > 240 s); an ALS unit covers its own and the next zones (280 s <= 480 s < 530 s).
 */
function line(): MoveUpInput {
  const P = 4;
  const zones = [
    { id: 'z0', weight: 5 },
    { id: 'z1', weight: 1 },
    { id: 'z2', weight: 1 },
    { id: 'z3', weight: 8 },
  ];
  const m = new Float64Array(P * zones.length);
  for (let p = 0; p < P; p++) for (let z = 0; z < zones.length; z++) m[p * zones.length + z] = Math.abs(p - z) * 250 + 30;
  return {
    zones,
    positionCount: P,
    positionToZoneSeconds: m,
    // Station 3's engine was dispatched: engines remain at 0 and 1 (two at 1), medics at 1 and 2.
    units: [
      { id: 'E0', capabilities: ['engine'], position: 0 },
      { id: 'E1', capabilities: ['engine'], position: 1 },
      { id: 'E1b', capabilities: ['engine'], position: 1 },
      { id: 'M1', capabilities: ['ambulance', 'als'], position: 1 },
      { id: 'M2', capabilities: ['ambulance', 'als'], position: 2 },
    ],
    stations: [0, 1, 2, 3].map((p) => ({ id: `S${p}`, position: p })),
    maxMoves: 1,
  };
}

describe('coverage and move-up after a dispatch empties a station', () => {
  it('reports the zone left without an engine as uncovered', () => {
    const cov = computeCoverage(line());
    expect(cov.zones.map((z) => z.covered)).toEqual([true, true, false, false]);
    expect(cov.coveredWeight).toBe(6);
    expect(cov.totalWeight).toBe(15);
    expect(cov.zones[3]).toEqual(expect.objectContaining({ engineSeconds: 530, alsSeconds: 280 }));
  });

  it('moves the spare engine to the empty station with the most demand, never the last one of a station', () => {
    const res = recommendMoveUps(line());
    expect(res.moves).toEqual([expect.objectContaining({ toStationId: 'S3', toPosition: 3, fromPosition: 1 })]);
    expect(['E1', 'E1b']).toContain(res.moves[0].unitId);
    expect(res.before.coveredWeight).toBe(6);
    expect(res.after.coveredWeight).toBe(14);
  });

  it('recommends nothing when no move adds coverage, and respects the move-time limit', () => {
    const none = recommendMoveUps({ ...line(), maxMoves: 0 });
    expect(none.moves).toEqual([]);
    const limited = recommendMoveUps({ ...line(), unitToStationSeconds: new Float64Array(5 * 4).fill(900), maxMoveSeconds: 600 });
    expect(limited.moves).toEqual([]);
    expect(limited.after.coveredWeight).toBe(6);
  });

  it('gives the same answer on a worker thread', async () => {
    const input = { ...line(), maxMoves: 2 };
    await expect(solveMoveUpsInWorker(input)).resolves.toEqual(recommendMoveUps(input));
  });

  it('rejects from the worker with the solver message on bad input', async () => {
    await expect(solveMoveUpsInWorker({ ...line(), maxMoves: -1 })).rejects.toThrow(/maxMoves/);
  });

  it('one move is exact: equals the best single relocation found by enumeration', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 5 * 6, maxLength: 5 * 6 }),
        fc.array(fc.record({ als: fc.boolean(), position: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 6, maxLength: 6 }),
        (times, us, weights) => {
          const input: MoveUpInput = {
            zones: weights.map((w, z) => ({ id: `z${z}`, weight: w })),
            positionCount: 5,
            positionToZoneSeconds: Float64Array.from(times),
            units: us.map((u, i) => ({ id: `u${i}`, capabilities: u.als ? ['als'] : ['engine'], position: u.position })),
            stations: [0, 1, 2, 3, 4].map((p) => ({ id: `S${p}`, position: p })),
            maxMoves: 1,
          };
          let best = computeCoverage(input).coveredWeight;
          input.units.forEach((_, i) => {
            for (let p = 0; p < 5; p++) {
              const units = input.units.map((u, j) => (j === i ? { ...u, position: p } : u));
              best = Math.max(best, computeCoverage({ ...input, units }).coveredWeight);
            }
          });
          expect(recommendMoveUps(input).after.coveredWeight).toBe(best);
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });
});
