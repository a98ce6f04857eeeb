/**
 * Move-ups as a policy: when a move-up (relocating an available unit to cover a gap, as the coverage
 * report recommends) may be applied, and the life of one applied move.
 *
 * `recommend` (the default) only shows moves; a dispatcher relocates units by hand. `apply` (chosen per
 * city) lets CAD carry a move out, never on its own: the move is proposed, then needs (in any order)
 * the dispatcher's confirmation (or, when the dispatcher set one, a timeout during which nobody refused),
 * the owning district's consent (the district the unit is based in: it loses the unit) and the crew's
 * acknowledgement; only then does the unit move. A unit that cleared an incident a short while ago is
 * never moved (crew rest and restocking); moves are bounded per unit and per hour; a move must gain
 * more coverage where the unit goes than the gap it leaves where it was (both demand-weighted shares);
 * and a move is cancelled the moment its unit is needed for an incident. Every step is an event.
 */

/** `recommend`: moves are shown only (default). `apply`: CAD may carry a move out, with the consents below. */
export type MoveUpMode = 'recommend' | 'apply';

/** A city's move-up policy. */
export interface MoveUpPolicy {
  mode: MoveUpMode;
  /**
   * Seconds after a proposal at which the dispatcher's silence counts as confirmation (a timeout the
   * dispatcher sets); null: the dispatcher must confirm explicitly.
   */
  confirmTimeoutS: number | null;
  /** A unit that cleared an incident less than this ago is never moved, seconds. */
  minSinceClearedS: number;
  /** Most moves of one unit in any 3600 s. */
  maxMovesPerUnitPerHour: number;
  /** Most moves in the city in any 3600 s. */
  maxMovesPerHour: number;
  /** Least net gain to move: demand share gained where the unit goes minus the share its departure uncovers (0..1). */
  minNetGain: number;
}

/**
 * Default: recommend only. The bounds apply once a city turns `apply` on: no explicit timeout (the
 * dispatcher confirms), 15 min after clearing, one move per unit and six per city per hour, and a
 * net gain of at least 1 % of the demand.
 */
export const DEFAULT_MOVE_UP_POLICY: MoveUpPolicy = {
  mode: 'recommend',
  confirmTimeoutS: null,
  minSinceClearedS: 900,
  maxMovesPerUnitPerHour: 1,
  maxMovesPerHour: 6,
  minNetGain: 0.01,
};

/** A move as the coverage solver proposes it, with what the policy weighs. */
export interface MoveUpProposal {
  unitId: string;
  /** District the unit is based in (its consent is needed). */
  owningDistrictId: string | null;
  toStationId: string;
  /** When the unit last cleared an incident, epoch ms; null: not since it came on duty. */
  clearedAtMs: number | null;
  /** Demand share (0..1) the move covers where the unit goes. */
  gainShare: number;
  /** Demand share (0..1) left uncovered where the unit was (the gap it leaves). */
  gapShare: number;
}

/** A move carried out earlier (for the hourly bounds). */
export interface PastMove {
  unitId: string;
  /** When it was applied (the unit set off), epoch ms. */
  atMs: number;
}

/** Whether a proposal may be applied now, and if not, why (one clause). */
export type MoveUpCheck = { ok: true; netGain: number } | { ok: false; reason: string };

/**
 * Checks a proposed move against the city's policy at `nowMs` (epoch ms): `apply` mode, time since the
 * unit cleared, the per-unit and city-wide hourly bounds (moves within the last 3600 s), and the net
 * gain (`gainShare - gapShare` at least `minNetGain`).
 * @throws RangeError when a share is outside 0..1 (names the field)
 */
export function checkMoveUp(p: MoveUpProposal, policy: MoveUpPolicy, history: readonly PastMove[], nowMs: number): MoveUpCheck {
  for (const k of ['gainShare', 'gapShare'] as const) {
    if (!(p[k] >= 0 && p[k] <= 1)) throw new RangeError(`${k} must be within 0..1 (got ${p[k]})`);
  }
  if (policy.mode !== 'apply') return { ok: false, reason: 'move-ups are recommended only in this city' };
  if (p.clearedAtMs !== null && nowMs - p.clearedAtMs < policy.minSinceClearedS * 1000) {
    const ago = Math.max(0, Math.round((nowMs - p.clearedAtMs) / 1000));
    return { ok: false, reason: `${p.unitId} cleared ${ago} s ago (not moved within ${policy.minSinceClearedS} s of clearing)` };
  }
  const lastHour = history.filter((m) => m.atMs > nowMs - 3_600_000 && m.atMs <= nowMs);
  const ofUnit = lastHour.filter((m) => m.unitId === p.unitId).length;
  if (ofUnit >= policy.maxMovesPerUnitPerHour) return { ok: false, reason: `${p.unitId} moved ${ofUnit} time(s) in the last hour (at most ${policy.maxMovesPerUnitPerHour})` };
  if (lastHour.length >= policy.maxMovesPerHour) return { ok: false, reason: `${lastHour.length} moves in the last hour (at most ${policy.maxMovesPerHour})` };
  const netGain = p.gainShare - p.gapShare;
  if (netGain < policy.minNetGain) {
    return { ok: false, reason: `net gain ${(netGain * 100).toFixed(1)} % (gains ${(p.gainShare * 100).toFixed(1)} %, leaves a gap of ${(p.gapShare * 100).toFixed(1)} %) is below ${(policy.minNetGain * 100).toFixed(1)} %` };
  }
  return { ok: true, netGain };
}

/** Where one applied move stands. */
export type MoveUpStatus = 'proposed' | 'moving' | 'done' | 'refused' | 'cancelled';

/** One applied move: who has agreed so far. */
export interface MoveUpState {
  unitId: string;
  status: MoveUpStatus;
  proposedAtMs: number;
  /** The dispatcher's timeout for this move, seconds (null: explicit confirmation). */
  confirmTimeoutS: number | null;
  /** How the dispatcher's side was given, once it was. */
  dispatcher: 'confirmed' | 'timeout' | null;
  districtConsented: boolean;
  crewAcknowledged: boolean;
  /** Why it was refused or cancelled. */
  reason: string | null;
}

/** What can happen to an applied move. */
export type MoveUpEvent =
  | { type: 'dispatcher_confirmed' }
  | { type: 'district_consented' }
  | { type: 'crew_acknowledged' }
  | { type: 'refused'; by: 'dispatcher' | 'district' | 'crew'; reason: string }
  /** Time passes (the dispatcher's timeout may run out). */
  | { type: 'tick'; atMs: number }
  | { type: 'unit_needed'; incidentId: string }
  | { type: 'arrived' };

/** Event types recorded for a move (the event log's `moveup.*`). */
export type MoveUpRecorded = 'moveup.proposed' | 'moveup.confirmed' | 'moveup.consented' | 'moveup.acknowledged' | 'moveup.started' | 'moveup.refused' | 'moveup.cancelled' | 'moveup.done';

/** A move just proposed (record `moveup.proposed`). */
export function proposeMove(unitId: string, atMs: number, policy: MoveUpPolicy): MoveUpState {
  return { unitId, status: 'proposed', proposedAtMs: atMs, confirmTimeoutS: policy.confirmTimeoutS, dispatcher: null, districtConsented: false, crewAcknowledged: false, reason: null };
}

/**
 * Applies one event to a move: the state after it and the events to record (none when nothing
 * changed: a repeated consent, a tick before the timeout, anything after the move ended). The unit
 * sets off (`moving`, `moveup.started`) only once the dispatcher (confirmation or timeout), the owning
 * district and the crew have all agreed; any refusal ends it; `unit_needed` cancels it in any state
 * before `done` (the unit is dispatched instead); `arrived` ends a moving unit's move.
 */
export function moveUpTransition(s: MoveUpState, e: MoveUpEvent): { state: MoveUpState; record: MoveUpRecorded[] } {
  const same = { state: s, record: [] as MoveUpRecorded[] };
  if (s.status === 'done' || s.status === 'refused' || s.status === 'cancelled') return same;
  if (e.type === 'unit_needed') return { state: { ...s, status: 'cancelled', reason: `needed for incident ${e.incidentId}` }, record: ['moveup.cancelled'] };
  if (s.status === 'moving') return e.type === 'arrived' ? { state: { ...s, status: 'done' }, record: ['moveup.done'] } : same;
  let next = s;
  const record: MoveUpRecorded[] = [];
  switch (e.type) {
    case 'refused':
      return { state: { ...s, status: 'refused', reason: `${e.by}: ${e.reason}` }, record: ['moveup.refused'] };
    case 'dispatcher_confirmed':
      if (s.dispatcher) return same;
      next = { ...s, dispatcher: 'confirmed' };
      record.push('moveup.confirmed');
      break;
    case 'tick':
      if (s.dispatcher || s.confirmTimeoutS === null || e.atMs < s.proposedAtMs + s.confirmTimeoutS * 1000) return same;
      next = { ...s, dispatcher: 'timeout' };
      record.push('moveup.confirmed');
      break;
    case 'district_consented':
      if (s.districtConsented) return same;
      next = { ...s, districtConsented: true };
      record.push('moveup.consented');
      break;
    case 'crew_acknowledged':
      if (s.crewAcknowledged) return same;
      next = { ...s, crewAcknowledged: true };
      record.push('moveup.acknowledged');
      break;
    case 'arrived':
      // A unit cannot arrive on a move it has not started.
      return same;
  }
  if (next.dispatcher && next.districtConsented && next.crewAcknowledged) {
    next = { ...next, status: 'moving' };
    record.push('moveup.started');
  }
  return { state: next, record };
}
