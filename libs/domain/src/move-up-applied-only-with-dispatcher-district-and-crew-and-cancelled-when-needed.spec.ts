import { checkMoveUp, DEFAULT_MOVE_UP_POLICY, MoveUpEvent, MoveUpPolicy, MoveUpProposal, moveUpTransition, proposeMove, MoveUpState, MoveUpRecorded } from './move-up-policy';

const MIN = 60_000;
const now = Date.UTC(2017, 0, 1, 12);
const apply: MoveUpPolicy = { ...DEFAULT_MOVE_UP_POLICY, mode: 'apply' };
const proposal: MoveUpProposal = { unitId: 'E05', owningDistrictId: 'd-3', toStationId: 's-12', clearedAtMs: now - 60 * MIN, gainShare: 0.06, gapShare: 0.02 };

/** Plays events in order; answers the final state and every event recorded. */
function play(s: MoveUpState, events: MoveUpEvent[]): { state: MoveUpState; recorded: MoveUpRecorded[] } {
  const recorded: MoveUpRecorded[] = [];
  for (const e of events) {
    const r = moveUpTransition(s, e);
    s = r.state;
    recorded.push(...r.record);
  }
  return { state: s, recorded };
}

describe('move-ups as a policy', () => {
  it('recommend is the default: nothing is applied, whatever the move gains', () => {
    expect(DEFAULT_MOVE_UP_POLICY.mode).toBe('recommend');
    expect(checkMoveUp(proposal, DEFAULT_MOVE_UP_POLICY, [], now)).toEqual({ ok: false, reason: 'move-ups are recommended only in this city' });
  });

  it('apply: a move that gains more than the gap it leaves passes; the net gain is weighed', () => {
    const r = checkMoveUp(proposal, apply, [], now);
    expect(r.ok).toBe(true);
    expect(r.ok && r.netGain).toBeCloseTo(0.04, 10);
    // The same gain, leaving a gap as large where the unit was: not worth it.
    expect(checkMoveUp({ ...proposal, gapShare: 0.055 }, apply, [], now)).toMatchObject({ ok: false, reason: expect.stringMatching(/net gain 0\.5 %.*gap of 5\.5 %/) });
  });

  it('hostile: never a unit that cleared minutes ago (just inside the limit refused, just past it allowed)', () => {
    expect(checkMoveUp({ ...proposal, clearedAtMs: now - 5 * MIN }, apply, [], now)).toMatchObject({ ok: false, reason: 'E05 cleared 300 s ago (not moved within 900 s of clearing)' });
    expect(checkMoveUp({ ...proposal, clearedAtMs: now - 900_000 + 1 }, apply, [], now).ok).toBe(false);
    expect(checkMoveUp({ ...proposal, clearedAtMs: now - 900_000 }, apply, [], now).ok).toBe(true);
  });

  it('hostile: moves are bounded per unit and per hour; a move over an hour ago no longer counts', () => {
    expect(checkMoveUp(proposal, apply, [{ unitId: 'E05', atMs: now - 30 * MIN }], now)).toMatchObject({ ok: false, reason: expect.stringMatching(/E05 moved 1 time/) });
    expect(checkMoveUp(proposal, apply, [{ unitId: 'E05', atMs: now - 61 * MIN }], now).ok).toBe(true);
    const six = Array.from({ length: 6 }, (_, k) => ({ unitId: `E1${k}`, atMs: now - k * 5 * MIN }));
    expect(checkMoveUp(proposal, apply, six, now)).toMatchObject({ ok: false, reason: '6 moves in the last hour (at most 6)' });
    expect(() => checkMoveUp({ ...proposal, gainShare: 1.5 }, apply, [], now)).toThrow(/gainShare/);
  });

  it('the unit sets off only once the dispatcher, the owning district and the crew have all agreed, in any order; each step is recorded once', () => {
    const s = proposeMove('E05', now, apply);
    const r = play(s, [{ type: 'crew_acknowledged' }, { type: 'district_consented' }, { type: 'crew_acknowledged' }]);
    expect(r.state.status).toBe('proposed');
    const done = play(r.state, [{ type: 'dispatcher_confirmed' }, { type: 'arrived' }]);
    expect(done.state.status).toBe('done');
    expect([...r.recorded, ...done.recorded]).toEqual(['moveup.acknowledged', 'moveup.consented', 'moveup.confirmed', 'moveup.started', 'moveup.done']);
  });

  it('a timeout the dispatcher set stands for their confirmation, and only once it has run out; without one, time alone confirms nothing', () => {
    const timed = proposeMove('E05', now, { ...apply, confirmTimeoutS: 120 });
    expect(play(timed, [{ type: 'tick', atMs: now + 119_000 }]).state.dispatcher).toBeNull();
    const r = play(timed, [{ type: 'district_consented' }, { type: 'crew_acknowledged' }, { type: 'tick', atMs: now + 120_000 }]);
    expect(r.state).toMatchObject({ status: 'moving', dispatcher: 'timeout' });
    const untimed = proposeMove('E05', now, apply);
    expect(play(untimed, [{ type: 'district_consented' }, { type: 'crew_acknowledged' }, { type: 'tick', atMs: now + 24 * 60 * MIN }]).state.status).toBe('proposed');
  });

  it('hostile: the owning district or the crew refusing ends the move; nothing after it counts', () => {
    const r = play(proposeMove('E05', now, apply), [
      { type: 'dispatcher_confirmed' },
      { type: 'refused', by: 'district', reason: 'station 5 is short tonight' },
      { type: 'district_consented' },
      { type: 'crew_acknowledged' },
    ]);
    expect(r.state).toMatchObject({ status: 'refused', reason: 'district: station 5 is short tonight' });
    expect(r.recorded).toEqual(['moveup.confirmed', 'moveup.refused']);
  });

  it('hostile: a move is cancelled when its unit is needed, before it sets off or on the way; a unit that arrived is not', () => {
    const waiting = play(proposeMove('E05', now, apply), [{ type: 'dispatcher_confirmed' }, { type: 'unit_needed', incidentId: 'i-1' }]);
    expect(waiting.state).toMatchObject({ status: 'cancelled', reason: 'needed for incident i-1' });
    const onTheWay = play(proposeMove('E05', now, apply), [{ type: 'dispatcher_confirmed' }, { type: 'district_consented' }, { type: 'crew_acknowledged' }, { type: 'unit_needed', incidentId: 'i-2' }, { type: 'arrived' }]);
    expect(onTheWay.state.status).toBe('cancelled');
    expect(onTheWay.recorded.slice(-1)).toEqual(['moveup.cancelled']);
    const arrived = play(proposeMove('E05', now, apply), [{ type: 'dispatcher_confirmed' }, { type: 'district_consented' }, { type: 'crew_acknowledged' }, { type: 'arrived' }, { type: 'unit_needed', incidentId: 'i-3' }]);
    expect(arrived.state.status).toBe('done');
  });
});
