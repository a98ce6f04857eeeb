import { planRound, roundClass } from '@cad/domain';
import { solveDispatchRound } from './dispatch-round';

const MIN = 60_000;
const now = Date.UTC(2017, 0, 1, 12);

describe('a dispatch round serves a P1 before P3s that waited longer', () => {
  it('one engine free, three P3s waiting 5 min and a P1 just in: the P1 gets the engine even though a P3 is nearer', () => {
    const waiting = [
      { id: 'p3-a', priority: 3, waitingSinceMs: now - 5 * MIN },
      { id: 'p3-b', priority: 3, waitingSinceMs: now - 4 * MIN },
      { id: 'p3-c', priority: 3, waitingSinceMs: now - 3 * MIN },
      { id: 'p1', priority: 1, waitingSinceMs: now },
    ];
    const round = planRound(waiting, now, { maxIncidents: 10, ageingSeconds: 600 });
    expect(round.incidents.map((i) => i.id)).toEqual(['p1', 'p3-a', 'p3-b', 'p3-c']);
    const eta: Record<string, number> = { p1: 420, 'p3-a': 60, 'p3-b': 90, 'p3-c': 120 };
    const decisions = solveDispatchRound(
      round.incidents.map((i) => ({ ...i, slots: ['engine'] })),
      [{ id: 'E1', capabilities: ['engine'] }],
      (incidentId) => eta[incidentId],
    );
    expect(decisions.find((d) => d.incidentId === 'p1')).toMatchObject({ outcome: 'sent', assigned: [{ unitId: 'E1', etaSeconds: 420 }] });
    for (const id of ['p3-a', 'p3-b', 'p3-c']) {
      const d = decisions.find((x) => x.incidentId === id)!;
      expect(d.outcome).toBe('waiting');
      // Waiting with a reason, never silently.
      expect(d.reason).toMatch(/^engine: /);
    }
  });

  it('every waiting incident of the round is solved together: two P2s and two engines go to the pair with the least total ETA', () => {
    const round = planRound(
      [
        { id: 'a', priority: 2, waitingSinceMs: now - MIN },
        { id: 'b', priority: 2, waitingSinceMs: now },
      ],
      now,
    );
    // Nearest-first for `a` would take E1 (100 s) and leave `b` 900 s from E2; together: 200 + 150.
    const eta: Record<string, number> = { 'a:E1': 100, 'a:E2': 200, 'b:E1': 150, 'b:E2': 900 };
    const d = solveDispatchRound(
      round.incidents.map((i) => ({ ...i, slots: ['engine'] })),
      [
        { id: 'E1', capabilities: ['engine'] },
        { id: 'E2', capabilities: ['engine'] },
      ],
      (i, u) => eta[`${i}:${u}`],
    );
    expect(d.map((x) => [x.incidentId, x.assigned[0].unitId])).toEqual([
      ['a', 'E2'],
      ['b', 'E1'],
    ]);
  });

  it('hostile: an aged P3 never passes a P1, however long it waited', () => {
    expect(roundClass(3, 10 * 3600, 600)).toBe(3);
    expect(roundClass(1, 0, 600)).toBe(2);
    const round = planRound(
      [
        { id: 'old-p3', priority: 3, waitingSinceMs: now - 600 * MIN },
        { id: 'new-p1', priority: 1, waitingSinceMs: now },
      ],
      now,
    );
    expect(round.incidents.map((i) => i.id)).toEqual(['new-p1', 'old-p3']);
  });

  it('hostile: bad policy or a duplicate incident is refused naming it; a clock behind the call counts as no wait', () => {
    expect(() => planRound([], now, { maxIncidents: 0, ageingSeconds: 600 })).toThrow(/maxIncidents/);
    expect(() => roundClass(3, 100, 0)).toThrow(/ageingSeconds/);
    expect(() =>
      planRound(
        [
          { id: 'x', priority: 2, waitingSinceMs: now },
          { id: 'x', priority: 2, waitingSinceMs: now },
        ],
        now,
      ),
    ).toThrow(/x listed twice/);
    expect(planRound([{ id: 'future', priority: 3, waitingSinceMs: now + 60 * MIN }], now).incidents[0]).toMatchObject({ waitedSeconds: 0, roundClass: 6 });
  });

  it('a round is bounded by a count: the most pressing are solved, the rest deferred, and the same input gives the same round', () => {
    const waiting = Array.from({ length: 7 }, (_, k) => ({ id: `i${k}`, priority: 1 + (k % 3), waitingSinceMs: now - k * MIN }));
    const a = planRound(waiting, now, { maxIncidents: 3, ageingSeconds: 600 });
    const b = planRound([...waiting].reverse(), now, { maxIncidents: 3, ageingSeconds: 600 });
    expect(a).toEqual(b);
    expect(a.incidents.map((i) => i.id)).toEqual(['i6', 'i3', 'i0']);
    expect(a.deferred).toHaveLength(4);
  });
});
