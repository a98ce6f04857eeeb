import { checkMoveUp, DEFAULT_MOVE_UP_POLICY, DISPATCHABLE_UNIT_STATUSES, MoveUpEvent, MoveUpPolicy, MoveUpState, moveUpTransition, PastMove, proposeMove } from '@cad/domain';
import { computeCoverage, CoverageInput, CoverageUnit, positionToZoneSeconds, recommendMoveUps, RoadNetwork } from '@cad/routing';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CoverageService } from '../coverage/coverage.service';
import { DrillRun } from './drill-run';

/**
 * The move-up rules a drill under the `moveups` policy plays by: the city defaults
 * (`DEFAULT_MOVE_UP_POLICY`: never within 900 s of clearing, one move per unit and six per city per
 * hour, at least 1 % net coverage gain) in `apply` mode, with the dispatcher confirming explicitly.
 */
export const DRILL_MOVE_UP_POLICY: MoveUpPolicy = { ...DEFAULT_MOVE_UP_POLICY, mode: 'apply', confirmTimeoutS: null };

/**
 * The drill's simulated consents: the dispatcher confirms and the owning district consents the
 * moment a move is proposed; the crew acknowledges this many seconds later (a fixed delay, the time to
 * read the task on the phone and accept it; no figure in the data). The unit sets off then.
 */
export const DRILL_CREW_ACK_DELAY_S = 60;

/** Most moves proposed at one look (the coverage solver's budget per look, as in `bench/allocation.ts`). */
export const DRILL_MOVES_PER_LOOK = 2;

/** A move longer than this (graph seconds) is not proposed: a unit is not sent across the city to cover a gap. */
export const DRILL_MAX_MOVE_S = 600;

/** One move of a drill run, in memory: its state under the move-up rules and when its next step is due. */
export interface DrillMove {
  unitId: string;
  toStationId: string;
  toLat: number;
  toLon: number;
  state: MoveUpState;
  /** Graph travel seconds of the move (the coverage solver's). */
  moveSeconds: number;
  /** Next step due (simulated epoch ms): the crew's acknowledgement, then the arrival; null once ended. */
  dueAtMs: number | null;
  gainShare: number;
  gapShare: number;
}

/** What a run's move-ups did, for its view and report. */
export interface DrillMoveUpTally {
  looks: number;
  proposed: number;
  refused: number;
  started: number;
  done: number;
  cancelled: number;
}

/**
 * Move-ups in a drill's own world (the `moveups` policy), with simulated confirmations. After each step
 * that may change which units are free (a call posted and dispatched, a unit clearing), the drill asks
 * `look`: the coverage solver (`recommendMoveUps`: demand zones per street weighted by the data's calls,
 * NFPA 1710 engine 240 s and ALS 480 s, graph travel times as `CoverageService` uses) proposes up to
 * {@link DRILL_MOVES_PER_LOOK} moves of the world's available units to stations; each is checked by
 * the move-up rules (`checkMoveUp`, {@link DRILL_MOVE_UP_POLICY}; gain and gap are the demand shares
 * covered with and without the unit, as the live service weighs them) and walked through
 * `moveUpTransition` with the dispatcher's confirmation and the district's consent at once and the
 * crew's acknowledgement after {@link DRILL_CREW_ACK_DELAY_S}. The unit stays dispatchable from where it
 * was while it drives, and is at the station when the move's travel time has passed (its `unit` row of
 * the drill's world moves then); a unit dispatched before that cancels its move (`unit_needed`). Its
 * home stays its own station: it returns there after its next call. Live units are never read or
 * written. The drill's road closures are not applied to coverage times.
 *
 * This drives the pure rules of `libs/domain/src/move-up-policy.ts` directly; the move-ups service
 * that carries moves out live (its `move_up` table and events) was not on main when this was written.
 */
@Injectable()
export class DrillMoveUps {
  private zones: { id: string; node: number; weight: number }[] | null = null;
  /** Travel seconds from a road node to every demand zone (bounded at 480 s), cached by node. */
  private readonly rows = new Map<number, Float64Array>();
  private stations: { id: string; lat: number; lon: number; node: number }[] | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly network: RoadNetwork,
    private readonly coverage: CoverageService,
  ) {}

  /** Simulated instant of the next move step due in the run, or null. */
  due(run: DrillRun): Date | null {
    let next: number | null = null;
    for (const m of run.moves) if (m.dueAtMs !== null && (next === null || m.dueAtMs < next)) next = m.dueAtMs;
    return next === null ? null : new Date(next);
  }

  /**
   * Takes every move step due at `at`: the crew acknowledges (the unit sets off, after the rules are
   * checked again), or the unit arrives (its position becomes the station's). A unit no longer
   * available (dispatched meanwhile) cancels its move instead.
   */
  async advance(run: DrillRun, at: Date): Promise<void> {
    const free = await this.availableIds(run);
    for (const m of run.moves) {
      if (m.dueAtMs === null || m.dueAtMs > at.getTime()) continue;
      if (!free.has(m.unitId)) {
        this.step(run, m, { type: 'unit_needed', incidentId: 'a drill incident' });
        continue;
      }
      if (m.state.status === 'proposed') {
        const again = checkMoveUp(this.proposal(run, m), DRILL_MOVE_UP_POLICY, pastMoves(run, m), at.getTime());
        if (!again.ok) this.step(run, m, { type: 'refused', by: 'crew', reason: again.reason });
        else this.step(run, m, { type: 'crew_acknowledged' });
        const setOff = (m.state as MoveUpState).status === 'moving';
        m.dueAtMs = setOff ? at.getTime() + Math.round(m.moveSeconds * 1000) : null;
        if (setOff) run.moveTally.started++;
      } else if (m.state.status === 'moving') {
        await this.ds.query(`UPDATE unit SET lat = $3, lon = $4 WHERE world = $1 AND id = $2 AND status = 'available'`, [run.id, m.unitId, m.toLat, m.toLon]);
        this.step(run, m, { type: 'arrived' });
        m.dueAtMs = null;
      }
    }
  }

  /** Looks for moves at `at` (see the class) and proposes those the rules allow; cancels moves whose unit was dispatched. */
  async look(run: DrillRun, at: Date): Promise<void> {
    const units: { id: string; capabilities: string[]; lat: number; lon: number; status: string }[] = await this.ds.query(
      `SELECT id, capabilities, lat, lon, status FROM unit WHERE world = $1 AND status = ANY($2) ORDER BY id`,
      [run.id, [...DISPATCHABLE_UNIT_STATUSES]],
    );
    const free = new Set(units.filter((u) => u.status === 'available').map((u) => u.id));
    for (const m of run.moves) if (m.dueAtMs !== null && !free.has(m.unitId)) this.step(run, m, { type: 'unit_needed', incidentId: 'a drill incident' });
    run.moveTally.looks++;
    const zones = await this.demandZones();
    const stations = await this.stationList();
    // A unit driving a move counts where it is going (else the next look would cover the same gap again).
    const going = new Map(run.moves.filter((m) => m.state.status === 'moving').map((m) => [m.unitId, stations.find((s) => s.id === m.toStationId)!.node]));
    const nodes = [...units.map((u) => going.get(u.id) ?? this.network.snap(u.lat, u.lon).node), ...stations.map((s) => s.node)];
    const input = this.input(zones, nodes, units);
    const open = new Set(run.moves.filter((m) => m.dueAtMs !== null).map((m) => m.unitId));
    const nowMs = at.getTime();
    const moved = new Set(pastMoves(run, null).filter((m) => m.atMs > nowMs - 3_600_000).map((m) => m.unitId));
    // Units the rules would refuse are not offered to the solver (so it proposes another): not free, moving, moved in the hour, cleared lately.
    const movable = (u: CoverageUnit) => {
      const cleared = lastCleared(run, u.id);
      return free.has(u.id) && !open.has(u.id) && !moved.has(u.id) && (cleared === null || nowMs - cleared >= DRILL_MOVE_UP_POLICY.minSinceClearedS * 1000);
    };
    const S = stations.length;
    const u2s = new Float64Array(units.length * S).fill(Infinity);
    stations.forEach((s, j) => {
      const col = this.network.travelTimesTo(s.node, nodes.slice(0, units.length), DRILL_MAX_MOVE_S);
      units.forEach((_, k) => (u2s[k * S + j] = col[k]));
    });
    const res = recommendMoveUps({
      ...input,
      units: input.units.map((u) => ({ ...u, movable: movable(u) })),
      stations: stations.map((s, j) => ({ id: s.id, position: units.length + j })),
      maxMoves: DRILL_MOVES_PER_LOOK,
      unitToStationSeconds: u2s,
      maxMoveSeconds: DRILL_MAX_MOVE_S,
    });
    const now = computeCoverage(input).share;
    for (const mv of res.moves) {
      const k = units.findIndex((u) => u.id === mv.unitId);
      const others = input.units.filter((_, i) => i !== k);
      const without = computeCoverage({ ...input, units: others }).share;
      const after = computeCoverage({ ...input, units: [...others, { ...input.units[k], position: mv.toPosition }] }).share;
      const s = stations.find((x) => x.id === mv.toStationId)!;
      const m: DrillMove = {
        unitId: mv.unitId,
        toStationId: s.id,
        toLat: s.lat,
        toLon: s.lon,
        state: proposeMove(mv.unitId, at.getTime(), DRILL_MOVE_UP_POLICY),
        moveSeconds: mv.moveSeconds,
        dueAtMs: null,
        gainShare: clamp01(after - without),
        gapShare: clamp01(now - without),
      };
      run.moveTally.proposed++;
      const check = checkMoveUp(this.proposal(run, m), DRILL_MOVE_UP_POLICY, pastMoves(run, m), at.getTime());
      if (!check.ok) {
        run.moveTally.refused++;
        continue;
      }
      run.moves.push(m);
      // The simulated dispatcher confirms and the owning district consents at once; the crew later.
      this.step(run, m, { type: 'dispatcher_confirmed' });
      this.step(run, m, { type: 'district_consented' });
      m.dueAtMs = at.getTime() + DRILL_CREW_ACK_DELAY_S * 1000;
    }
  }

  private step(run: DrillRun, m: DrillMove, e: MoveUpEvent): void {
    const { state } = moveUpTransition(m.state, e);
    if (state.status !== m.state.status) {
      if (state.status === 'cancelled') run.moveTally.cancelled++;
      if (state.status === 'refused') run.moveTally.refused++;
      if (state.status === 'done') run.moveTally.done++;
    }
    m.state = state;
    if (state.status === 'cancelled' || state.status === 'refused' || state.status === 'done') m.dueAtMs = null;
  }

  private proposal(run: DrillRun, m: DrillMove) {
    return { unitId: m.unitId, owningDistrictId: null, toStationId: m.toStationId, clearedAtMs: lastCleared(run, m.unitId), gainShare: m.gainShare, gapShare: m.gapShare };
  }

  private async availableIds(run: DrillRun): Promise<Set<string>> {
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM unit WHERE world = $1 AND status = 'available'`, [run.id]);
    return new Set(rows.map((r) => r.id));
  }

  /** Coverage input over the demand zones: positions are the given nodes (units first, then stations); rows cached by node. */
  private input(zones: { id: string; node: number; weight: number }[], nodes: number[], units: { id: string; capabilities: string[] }[]): CoverageInput {
    const missing = [...new Set(nodes.filter((n) => !this.rows.has(n)))];
    if (missing.length) {
      const Z = zones.length;
      const m = positionToZoneSeconds(this.network, missing, zones.map((z) => z.node), 480);
      missing.forEach((n, p) => this.rows.set(n, m.slice(p * Z, (p + 1) * Z)));
    }
    const matrix = new Float64Array(nodes.length * zones.length);
    nodes.forEach((n, p) => matrix.set(this.rows.get(n)!, p * zones.length));
    return {
      zones: zones.map((z) => ({ id: z.id, weight: z.weight })),
      positionCount: nodes.length,
      positionToZoneSeconds: matrix,
      units: units.map((u, k) => ({ id: u.id, capabilities: u.capabilities, position: k })),
    };
  }

  private async demandZones() {
    this.zones ??= (await this.coverage.demandZones()).map((z) => ({ id: z.id, node: z.node, weight: z.weight }));
    return this.zones;
  }

  private async stationList() {
    if (!this.stations) {
      const rows: { id: string; lat: number; lon: number }[] = await this.ds.query(`SELECT id, lat, lon FROM station ORDER BY id`);
      this.stations = rows.map((s) => ({ ...s, node: this.network.snap(s.lat, s.lon).node }));
    }
    return this.stations;
  }
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** When the unit last cleared an incident in the run (simulated epoch ms), or null. */
function lastCleared(run: DrillRun, unitId: string): number | null {
  let last: number | null = null;
  for (const s of run.sims.values()) if (s.unitId === unitId && s.clearedAt && (last === null || s.clearedAt.getTime() > last)) last = s.clearedAt.getTime();
  return last;
}

/** Moves of the run open or set off (for the hourly bounds), other than `except`, at their proposal. */
function pastMoves(run: DrillRun, except: DrillMove | null): PastMove[] {
  const counts = (m: DrillMove) => m.state.status === 'proposed' || m.state.status === 'moving' || m.state.status === 'done' || (m.state.status === 'cancelled' && m.state.crewAcknowledged);
  return run.moves.filter((m) => m !== except && counts(m)).map((m) => ({ unitId: m.unitId, atMs: m.state.proposedAtMs }));
}
