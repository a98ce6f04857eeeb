import { DEFAULT_MOVE_UP_POLICY, MoveUpPolicy } from '@cad/domain';
import { RoadNetwork, unitStartNode } from '@cad/routing';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StateConflict } from '../common/errors';
import { MoveUpProposer } from '../move-ups/move-up-proposer';
import { MoveUpsService } from '../move-ups/move-ups.service';
import { DrillRun } from './drill-run';

/**
 * The move-up rules a drill under the `moveups` policy plays by: the city defaults
 * (`DEFAULT_MOVE_UP_POLICY`: never within 900 s of clearing, one move per unit and six per city per
 * hour, at least 1 % net coverage gain) in `apply` mode, with no dispatcher timeout (its simulated
 * dispatcher confirms explicitly). Passed to `MoveUpProposer.sweep`, so a drill moves units even where
 * the city only recommends.
 */
export const DRILL_MOVE_UP_POLICY: MoveUpPolicy = { ...DEFAULT_MOVE_UP_POLICY, mode: 'apply', confirmTimeoutS: null };

/**
 * Seconds from a move's proposal to its simulated agreement: the time for the crew to read the task on
 * the phone and accept it (a fixed delay; the data has no figure for it).
 */
export const DRILL_CREW_ACK_DELAY_S = 60;

/** A move of a drill run waiting for its next simulated step (the `move_up` row holds its state). */
export interface DrillMove {
  /** `move_up` row id. */
  id: string;
  unitId: string;
  /** The next step: the simulated agreement, or the unit reaching its new station. */
  next: 'agree' | 'arrive';
  /** When it is due, simulated epoch ms. */
  dueAtMs: number;
}

/** What a run's move-ups did, for its view and report: read from the `move_up` rows of its world (looks: in memory). */
export interface DrillMoveUpTally {
  /** Sweeps the drill asked for. */
  looks: number;
  /** Moves proposed (rows). */
  proposed: number;
  /** Moves refused when the unit would set off (the rules checked again). */
  refused: number;
  /** Moves whose unit set off. */
  started: number;
  /** Moves whose unit reached the station. */
  done: number;
  /** Moves cancelled because the unit was dispatched (or went out of service) first. */
  cancelled: number;
}

/**
 * Move-ups in a drill's own world (the `moveups` policy), carried out by the live move-ups service
 * with the drill's simulated time and simulated people, so every move is a `move_up` row of the
 * drill's world and its steps are `moveup.*` events there (never in `live`).
 *
 * - `look` (after each step that may change which units are free: a call dispatched, a unit cleared):
 *   `MoveUpProposer.sweep(run.id, simNow, DRILL_MOVE_UP_POLICY)`: the coverage solver's moves for the
 *   drill's world, each proposed only when `checkMoveUp` allows it at the simulated instant.
 * - `advance`, {@link DRILL_CREW_ACK_DELAY_S} after a proposal: `MoveUpsService.simulatedAgreement`,
 *   i.e. the drill's dispatcher confirms (`drill:dispatcher`), the owning district consents
 *   (`drill:district`) and the crew acknowledges (`drill:crew`), all at that simulated instant; the
 *   service checks the rules again and the unit sets off (its home becomes the station) or the move is
 *   refused. Then, once the unit's road-graph travel time from where it is to the station has passed
 *   (closures not applied), `MoveUpsService.arrive` (`drill:crew`): the unit is at the station.
 * - A unit dispatched first cancels its move in the dispatching transaction (the trigger
 *   `move_up_cancel_on_dispatch`, at the dispatch's simulated time), as live; its step is then dropped.
 *
 * Every instant passed is the run's simulated time, never the wall clock. The run's `homes` follow the
 * units' home stations (a fire unit clearing returns to its new station after a move).
 */
@Injectable()
export class DrillMoveUpSteps {
  private readonly stationNodes = new Map<string, number>();

  constructor(
    private readonly ds: DataSource,
    private readonly network: RoadNetwork,
    private readonly proposer: MoveUpProposer,
    private readonly moves: MoveUpsService,
  ) {}

  /** Simulated instant of the run's next move step due, or null. */
  due(run: DrillRun): Date | null {
    let next: number | null = null;
    for (const m of run.moves) if (next === null || m.dueAtMs < next) next = m.dueAtMs;
    return next === null ? null : new Date(next);
  }

  /** Sweeps the run's world at simulated instant `at` (see the class) and schedules each proposed move's agreement. */
  async look(run: DrillRun, at: Date): Promise<void> {
    run.moveTally.looks++;
    const { proposed } = await this.proposer.sweep(run.id, at, DRILL_MOVE_UP_POLICY);
    for (const p of proposed) run.moves.push({ id: p.id, unitId: p.unitId, next: 'agree', dueAtMs: at.getTime() + DRILL_CREW_ACK_DELAY_S * 1000 });
    await this.sync(run);
  }

  /**
   * Takes every move step due by simulated instant `at`, in order of due time then unit id: the
   * simulated agreement (the unit sets off, or the rules refuse it), or the arrival. A move that ended
   * meanwhile (its unit dispatched) is dropped.
   */
  async advance(run: DrillRun, at: Date): Promise<void> {
    const due = run.moves.filter((m) => m.dueAtMs <= at.getTime()).sort((a, b) => a.dueAtMs - b.dueAtMs || (a.unitId < b.unitId ? -1 : 1));
    for (const m of due) {
      run.moves.splice(run.moves.indexOf(m), 1);
      try {
        if (m.next === 'arrive') {
          await this.moves.arrive(m.id, at, 'drill:crew');
          continue;
        }
        const v = await this.moves.simulatedAgreement(m.id, at);
        if (v.status !== 'moving') continue;
        const driveS = await this.driveSeconds(run.id, v.unitId, v.toStationId);
        // A station the road graph cannot reach from the unit: the move stays under way until the unit is dispatched.
        if (Number.isFinite(driveS)) run.moves.push({ ...m, next: 'arrive', dueAtMs: at.getTime() + Math.round(driveS * 1000) });
      } catch (e) {
        if (!(e instanceof StateConflict)) throw e;
      }
    }
    await this.sync(run);
  }

  /**
   * Reads the run's moves back from its world: drops steps of moves that ended (cancelled by a
   * dispatch), counts the tally from the rows, and takes the moved units' home stations into `run.homes`.
   */
  private async sync(run: DrillRun): Promise<void> {
    const rows: { id: string; unit_id: string; status: string; started: boolean }[] = await this.ds.query(
      `SELECT id, unit_id, status, started_at IS NOT NULL AS started FROM move_up WHERE world = $1`,
      [run.id],
    );
    const open = new Set(rows.filter((r) => r.status === 'proposed' || r.status === 'moving').map((r) => r.id));
    for (let k = run.moves.length - 1; k >= 0; k--) if (!open.has(run.moves[k].id)) run.moves.splice(k, 1);
    Object.assign(run.moveTally, {
      proposed: rows.length,
      refused: rows.filter((r) => r.status === 'refused').length,
      started: rows.filter((r) => r.started).length,
      done: rows.filter((r) => r.status === 'done').length,
      cancelled: rows.filter((r) => r.status === 'cancelled').length,
    });
    const moved = [...new Set(rows.filter((r) => r.started).map((r) => r.unit_id))];
    if (!moved.length) return;
    const homes: { id: string; home_lat: number; home_lon: number }[] = await this.ds.query(`SELECT id, home_lat, home_lon FROM unit WHERE world = $1 AND id = ANY($2)`, [run.id, moved]);
    for (const h of homes) {
      const had = run.homes.get(h.id);
      if (had) run.homes.set(h.id, { ...had, lat: h.home_lat, lon: h.home_lon });
    }
  }

  /** Road-graph seconds for the unit of `world` to drive from where it is to the station (closures not applied); Infinity when unreachable. */
  private async driveSeconds(world: string, unitId: string, stationId: string): Promise<number> {
    const [u]: { lat: number; lon: number }[] = await this.ds.query(`SELECT lat, lon FROM unit WHERE world = $1 AND id = $2`, [world, unitId]);
    let node = this.stationNodes.get(stationId);
    if (node === undefined) {
      const [s]: { lat: number; lon: number }[] = await this.ds.query(`SELECT lat, lon FROM station WHERE id = $1`, [stationId]);
      node = unitStartNode(this.network, s.lat, s.lon).node;
      this.stationNodes.set(stationId, node);
    }
    // A drill's unit has no AVL track: above a tunnel it starts on the street (unitStartNode).
    return u ? this.network.travelTimesTo(node, [unitStartNode(this.network, u.lat, u.lon).node])[0] : Infinity;
  }
}
