import { isEmsUnit } from '@cad/domain';
import { RoadNetwork, unitStartNode } from '@cad/routing';
import { Injectable, Logger } from '@nestjs/common';
import type { LineString } from 'geojson';
import { DataSource } from 'typeorm';
import { RealtimeGateway } from '../events/realtime.gateway';
import { AssignmentsService } from '../incidents/assignments.service';
import { IncidentsService } from '../incidents/incidents.service';
import { ClockService } from '../platform/clock/clock.service';
import { TravelModelService } from '../routing/travel-model.service';
import { dropWorld } from './world';
import { ActiveRow, DrillRun } from './drill-run';

/**
 * A crew transition a simulated crew makes: turning out (en route), arriving (on scene), clearing, and
 * for a fire unit that cleared, arriving back at its station (`home`: no task, only its position).
 */
export type CrewStep = 'en_route' | 'on_scene' | 'cleared' | 'home';

/** The next crew transition of a run: which task, to what, at what simulated instant (UTC). */
export interface DueTransition {
  row: ActiveRow;
  to: CrewStep;
  due: Date;
}

/**
 * The simulated crews of drill runs and their AVL: reads a run's open tasks (each gets its crew's
 * drawn turnout and the travel model's travel time), finds the next transition due, reports it to
 * the assignments service at its simulated instant, follows tasks re-routed by a closure, and
 * broadcasts en-route positions along the routes. Works only on the run's own world and incidents.
 */
@Injectable()
export class SimulatedCrews {
  private readonly log = new Logger('Drill');

  constructor(
    private readonly ds: DataSource,
    private readonly clock: ClockService,
    private readonly assignments: AssignmentsService,
    private readonly incidents: IncidentsService,
    private readonly realtime: RealtimeGateway,
    private readonly network: RoadNetwork,
    private readonly travel: TravelModelService,
  ) {}

  /**
   * The run's open tasks; a task seen for the first time gets its simulated crew (`run.sims`): its
   * drawn turnout (seconds) and its travel time, seconds: for an ambulance (EMS unit) drawn from its
   * type's historical travel on other days (`CrewModel.postedTravel`: the data has no ambulance
   * origins), for every other unit the travel model's (ETA − turnout, the median from where it set off)
   * times a residual ratio drawn from the model's responses on other days (`CrewModel.travelRatio`);
   * Infinity when dispatch found no route.
   */
  async active(run: DrillRun): Promise<ActiveRow[]> {
    // The run's tasks are in its world (\`world.ts\`): the open ones are read through the partial index
    // \`assignment_one_active_per_unit\` (world, unit; not cleared), not a scan of every task ever made.
    const rows: ActiveRow[] = await this.ds.query(
      `SELECT a.id, a.unit_id, u.unit_type, a.capability, a.status, a.eta_seconds, a.turnout_seconds, a.route, a.dispatched_at, a.en_route_at, a.on_scene_at,
              (SELECT MIN(c.call_number) FROM call c WHERE c.incident_id = i.id) AS call_number, a.incident_id, i.lat, i.lon
         FROM assignment a JOIN incident i ON i.id = a.incident_id JOIN unit u ON u.world = a.world AND u.id = a.unit_id
        WHERE a.world = $1 AND i.drill_id = $1 AND a.status <> 'cleared'`,
      [run.id],
    );
    const prefix = `${run.id}:`;
    const callOf = (a: ActiveRow) => (a.call_number?.startsWith(prefix) ? a.call_number.slice(prefix.length) : (a.call_number ?? ''));
    // New tasks get their places at their calls (the keys of their draws: common random numbers).
    const fresh = rows.filter((a) => !run.sims.has(a.id));
    const tasks = fresh.map((a) => ({ callId: callOf(a), unitId: a.unit_id, unitType: a.unit_type, dispatchedMs: a.dispatched_at.getTime(), etaS: a.eta_seconds }));
    const places = run.places.placeAll(tasks);
    for (const [k, a] of fresh.entries()) {
      // Dispatched again on its way back to the station: it set off from where it was (see `returnTrip`).
      run.returning.delete(a.unit_id);
      const { callId } = tasks[k];
      const place = places[k];
      // A unit dispatched later to a waiting incident carries the incident's receipt time: it was dispatched now.
      const dispatchedAt = new Date(Math.max(a.dispatched_at.getTime(), run.simNow.getTime()));
      const drawn = run.crews.postedTravel(callId, place, a.unit_type);
      const ratio = drawn === null ? run.crews.travelRatio(callId, place, a.unit_type) : 1;
      run.sims.set(a.id, {
        assignmentId: a.id,
        callId,
        unitId: a.unit_id,
        unitType: a.unit_type,
        capability: a.capability,
        dispatchedAt,
        enRouteAt: null,
        onSceneAt: null,
        clearedAt: null,
        turnoutS: run.crews.turnout(callId, place, a.unit_type),
        // An ambulance's origin is not in the data: its travel is drawn from its type's on other days
        // (`CrewModel.postedTravel`). Every other unit: the travel model's travel time as dispatch
        // computed it (ETA − turnout, the median) times a residual ratio drawn from other days
        // (`CrewModel.travelRatio`); the crew's own turnout is drawn above.
        travelS: a.eta_seconds < 0 ? Infinity : (drawn ?? (a.eta_seconds - (a.turnout_seconds ?? 0)) * ratio),
        travelDrawn: drawn !== null,
        travelRatio: ratio,
      });
    }
    return rows;
  }

  /**
   * The earliest crew transition due among `rows` and the run's fire units driving back to their
   * stations (`run.returning`), ties broken by unit id (deterministic); null when none.
   */
  nextTransition(run: DrillRun, rows: ActiveRow[]): DueTransition | null {
    let best: DueTransition | null = null;
    for (const [unitId, r] of run.returning) {
      if (!best || r.dueMs < best.due.getTime() || (r.dueMs === best.due.getTime() && unitId < best.row.unit_id)) best = { row: r.row, to: 'home', due: new Date(r.dueMs) };
    }
    for (const a of rows) {
      const s = run.sims.get(a.id)!;
      if (!s) continue;
      let due: number;
      let to: CrewStep;
      if (a.status === 'dispatched' || a.status === 'acknowledged') [due, to] = [s.dispatchedAt.getTime() + s.turnoutS * 1000, 'en_route'];
      else if (a.status === 'en_route') [due, to] = [(s.enRouteAt ?? a.en_route_at!).getTime() + s.travelS * 1000, 'on_scene'];
      else [due, to] = [(s.onSceneAt ?? a.on_scene_at!).getTime() + run.crews.onScene(s.callId, s.unitType) * 1000, 'cleared'];
      due = Math.round(due);
      if (!best || due < best.due.getTime() || (due === best.due.getTime() && a.unit_id < best.row.unit_id)) best = { row: a, to, due: new Date(due) };
    }
    return best;
  }

  /** Applies one crew transition at simulated instant `at` and notes it in memory. */
  async apply(run: DrillRun, a: ActiveRow, to: CrewStep, at: Date): Promise<void> {
    if (to === 'home') await this.arriveHome(run, [a]);
    else await this.report(run, a, to, at);
    this.note(run, a, to, at);
  }

  /**
   * Fire units back at their stations: each is moved to its home position in the run's world, unless
   * it left where it cleared meanwhile (a move-up set it off elsewhere) or is no longer available.
   */
  private async arriveHome(run: DrillRun, rows: ActiveRow[]): Promise<void> {
    const back = rows.map((a) => ({ a, home: run.homes.get(a.unit_id) })).filter((x) => x.home);
    if (!back.length) return;
    await this.ds.query(
      `UPDATE unit u SET lat = p.lat, lon = p.lon
         FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::float8[]) AS p(id, lat, lon, from_lat, from_lon)
        WHERE u.world = $6 AND u.id = p.id AND u.status = 'available' AND abs(u.lat - p.from_lat) < 1e-7 AND abs(u.lon - p.from_lon) < 1e-7`,
      [back.map((x) => x.a.unit_id), back.map((x) => x.home!.lat), back.map((x) => x.home!.lon), back.map((x) => x.a.lat), back.map((x) => x.a.lon), run.id],
    );
  }

  /**
   * The drive back to the station of a fire unit that cleared at `at`, or null (an EMS unit, a unit
   * without a home, or a station the road graph cannot reach): due when the travel model's
   * non-emergency travel (no station term: it sets off from the scene) over the road-graph route from
   * the incident to its home station has passed (closures not applied, as for move-ups). Until then the
   * unit is available where it cleared, and dispatch sends it from there.
   *
   * Why (issue 20, measured on the week): engines dispatched within 5 min of becoming available travel
   * in step with their distance from the incident they had just cleared (correlation 0.35; 0.12 with
   * the distance from their station), those dispatched 5 to 15 min after in step with the distance
   * from their station (0.34; 0.19 from the last incident): they drive back, and are sent from the road.
   */
  private returnTrip(run: DrillRun, a: ActiveRow, at: Date): { dueMs: number; row: ActiveRow } | null {
    if (isEmsUnit(a.unit_type)) return null;
    const home = run.homes.get(a.unit_id);
    if (!home) return null;
    // Stopped at the scene, and back to its station: both on the street above a tunnel (unitStartNode).
    const from = unitStartNode(this.network, a.lat, a.lon).node;
    const [graphS] = this.network.travelTimesTo(unitStartNode(this.network, home.lat, home.lon).node, [from]);
    if (!Number.isFinite(graphS)) return null;
    const { travelS } = this.travel.eta(graphS, false, { unitType: a.unit_type, stationId: null }, false);
    const row: ActiveRow = { ...a, id: `return:${a.unit_id}`, status: 'on_scene', route: null };
    return { dueMs: at.getTime() + Math.round(travelS * 1000), row };
  }

  /**
   * Reports one crew transition to the assignments service. Steps go in order: a simulated crew
   * acknowledges its task as it turns out (en route), recorded in the same transaction at the same
   * simulated time (the drill's turnout is the data's dispatch-to-response time, with no acknowledgement).
   */
  private async report(run: DrillRun, a: ActiveRow, to: Exclude<CrewStep, 'home'>, at: Date): Promise<void> {
    await this.assignments.changeStatus(a.id, to, at, 'drill', positionAfter(run, a, to), undefined, { acknowledgeOnTurnout: to === 'en_route' });
  }

  private note(run: DrillRun, a: ActiveRow, to: CrewStep, at: Date): void {
    if (to === 'home') {
      run.returning.delete(a.unit_id);
      return;
    }
    if (to === 'cleared') {
      const trip = this.returnTrip(run, a, at);
      if (trip) run.returning.set(a.unit_id, trip);
    }
    const s = run.sims.get(a.id)!;
    if (to === 'en_route') s.enRouteAt = at;
    else if (to === 'on_scene') s.onSceneAt = at;
    else s.clearedAt = at;
    if (to !== 'cleared') a.status = to;
  }

  /**
   * At maximum speed: takes every en-route and on-scene transition due before the next call or the next
   * unit clearing (neither of which can create work), and the clearings too when no incident waits for
   * a unit (`clears`), in time order, and applies them in that order in one transaction
   * (`AssignmentsService.changeStatusMany`): the same events as one transaction per transition, with
   * their ids in simulated-time order on every run.
   */
  async applyBatch(
    run: DrillRun,
    first: DueTransition,
    nextCall: Date | null,
    clears: boolean,
  ): Promise<boolean> {
    const steps: { row: ActiveRow; to: Exclude<CrewStep, 'home'>; at: Date }[] = [];
    const homes: ActiveRow[] = [];
    let n: typeof first | null = first;
    let cleared = false;
    while (n && (clears || n.to !== 'cleared') && (nextCall === null || n.due.getTime() < nextCall.getTime())) {
      if (n.to === 'home') homes.push(n.row);
      else steps.push({ row: n.row, to: n.to, at: n.due });
      this.note(run, n.row, n.to, n.due);
      run.simNow = n.due;
      if (n.to === 'cleared') {
        cleared = true;
        const done = n.row;
        run.lastActive = run.lastActive.filter((a) => a !== done);
      }
      n = this.nextTransition(run, run.lastActive);
    }
    this.clock.advance(run.id, run.simNow);
    // One transaction for the whole batch, in time order (ties by unit id, as chosen): one commit instead
    // of one per transition (issue 19's profile), and the events' ids follow simulated time.
    await this.assignments.changeStatusMany(
      steps.map((x) => ({ assignmentId: x.row.id, to: x.to, at: x.at, position: positionAfter(run, x.row, x.to), extra: { acknowledgeOnTurnout: x.to === 'en_route' } })),
      'drill',
    );
    // After the batch's steps (a unit clearing in it is at the scene by then), the units back home.
    await this.arriveHome(run, homes);
    return cleared;
  }

  /** The run's incidents waiting for a unit to be freed: one of its units clearing would dispatch them. */
  async waitingForUnits(run: DrillRun): Promise<number> {
    const [{ n }]: { n: number }[] = await this.ds.query(
      `SELECT count(*)::int AS n FROM incident WHERE drill_id = $1 AND status = 'received' AND last_error IS NOT NULL AND auto_dispatch`,
      [run.id],
    );
    return n;
  }

  /**
   * Picks up routes changed since the step began (a road closure re-routed the task): the unit then
   * drives the new route from where it is now, at the travel model's travel time for it times the
   * trip's drawn residual ratio (`CrewModel.travelRatio`).
   */
  async followReroutes(run: DrillRun, now: Date): Promise<void> {
    const moving = run.lastActive.filter((a) => a.status === 'en_route' || a.status === 'dispatched');
    if (!moving.length) return;
    const rows: { id: string; route: LineString | null; eta_seconds: number; turnout_seconds: number | null }[] = await this.ds.query(
      `SELECT id, route, eta_seconds, turnout_seconds FROM assignment WHERE id = ANY($1)`,
      [moving.map((a) => a.id)],
    );
    for (const r of rows) {
      const a = moving.find((x) => x.id === r.id)!;
      const s = run.sims.get(a.id);
      if (!s || JSON.stringify(r.route) === JSON.stringify(a.route)) continue;
      a.route = r.route;
      run.rerouted = true;
      // A crew still turning out drives the whole new route once en route; one driving starts it from here.
      // A drawn (ambulance) travel time stands: its origin, and so its detour, is not known.
      if (s.travelDrawn && r.eta_seconds >= 0) continue;
      if (a.status === 'en_route') s.enRouteAt = now;
      // The trip keeps its drawn residual ratio: the new route's median times the same factor.
      s.travelS = r.eta_seconds >= 0 ? (r.eta_seconds - (r.turnout_seconds ?? 0)) * (s.travelRatio ?? 1) : Infinity;
    }
  }

  /**
   * Moves the run's en-route units along their routes to where they are at simulated instant `now`
   * (their share of the travel time elapsed) in the run's world, and broadcasts them as AVL.
   */
  async broadcastPositions(run: DrillRun, now: Date): Promise<void> {
    await this.followReroutes(run, now);
    const positions: { unitId: string; lat: number; lon: number }[] = [];
    for (const a of run.lastActive) {
      const s = run.sims.get(a.id);
      if (a.status !== 'en_route' || !s?.enRouteAt) continue;
      const f = !Number.isFinite(s.travelS) ? 0 : s.travelS > 0 ? (now.getTime() - s.enRouteAt.getTime()) / (s.travelS * 1000) : 1;
      const [lon, lat] = pointAlong(a.route, f) ?? [a.lon, a.lat];
      positions.push({ unitId: a.unit_id, lat, lon });
    }
    if (!positions.length) return;
    // En-route positions never feed allocation (a unit en route is not available), so this keeps runs deterministic.
    await this.ds.query(
      `UPDATE unit u SET lat = p.lat, lon = p.lon FROM unnest($1::text[], $2::float8[], $3::float8[]) AS p(id, lat, lon) WHERE u.world = $4 AND u.id = p.id`,
      [positions.map((p) => p.unitId), positions.map((p) => p.lat), positions.map((p) => p.lon), run.id],
    );
    this.realtime.broadcastAvl(now, positions, run.id);
  }

  /**
   * Ends the exercise incidents a run leaves open (a stopped drill has no simulated crews left to
   * clear them): incidents not yet on scene are cancelled, and the units on scene clear, which closes
   * those incidents. Runs after the report is built, so the report shows the run as it stopped. Then
   * the run's world (its copy of the fleet) is deleted; its assignments stay, naming the world.
   */
  async releaseExercise(run: DrillRun): Promise<void> {
    const open: { id: string; status: string }[] = await this.ds.query(
      `SELECT id, status FROM incident WHERE drill_id = $1 AND status NOT IN ('resolved', 'closed', 'cancelled', 'merged') ORDER BY received_at`,
      [run.id],
    );
    for (const i of open.filter((x) => x.status !== 'on_scene')) {
      await this.incidents.changeStatus(i.id, 'cancelled', `drill ${run.state}: exercise incident cancelled, its units freed`, 'drill');
    }
    const onScene: { id: string; status: string }[] = await this.ds.query(
      `SELECT a.id, a.status FROM assignment a JOIN incident i ON i.id = a.incident_id WHERE i.drill_id = $1 AND a.status NOT IN ('cleared')`,
      [run.id],
    );
    const at = new Date(run.simNow.getTime() + 1000);
    // A task not yet on scene (another unit's incident is on scene) is cancelled, with the reason: steps go in order.
    const before = ['dispatched', 'acknowledged', 'en_route'];
    for (const a of onScene) {
      const reason = before.includes(a.status) ? 'cancelled_by_dispatch' : undefined;
      await this.assignments.changeStatus(a.id, 'cleared', at, 'drill', undefined, undefined, { cancelReason: reason }).catch((e: Error) => this.log.warn(`drill ${run.id}: task ${a.id} not cleared: ${e.message}`));
    }
    if (open.length) this.log.log(`drill ${run.id}: released ${open.length} open exercise incident(s) and their units`);
    await dropWorld(this.ds, run.id);
  }
}

/**
 * Where a simulated crew is after a transition: on scene at the incident; otherwise unchanged
 * (undefined). After clearing every unit is still at the incident: a fire unit drives back to its
 * station (`SimulatedCrews.returnTrip`, the `home` step), while an ambulance or other EMS unit stays
 * where it cleared: the data has no hospital positions, so a transport's end is unknown and the
 * incident is the nearest thing the data gives (assumption, issue 20; its travel to its next call is
 * drawn from history, `CrewModel.postedTravel`, since the data gives no ambulance origins either).
 */
function positionAfter(_run: DrillRun, a: ActiveRow, to: CrewStep): { lat: number; lon: number } | undefined {
  return to === 'on_scene' ? { lat: a.lat, lon: a.lon } : undefined;
}

/**
 * The point at fraction `f` (0..1) of a LineString's length (planar on lon/lat, fine at street scale),
 * `[lon, lat]`; null for a missing or empty line.
 */
export function pointAlong(line: LineString | null, f: number): [number, number] | null {
  if (!line || line.coordinates.length === 0) return null;
  const c = line.coordinates;
  if (c.length === 1 || f <= 0) return [c[0][0], c[0][1]];
  const kx = Math.cos((c[0][1] * Math.PI) / 180);
  const seg: number[] = [];
  let total = 0;
  for (let i = 1; i < c.length; i++) {
    const d = Math.hypot((c[i][0] - c[i - 1][0]) * kx, c[i][1] - c[i - 1][1]);
    seg.push(d);
    total += d;
  }
  let want = Math.min(1, f) * total;
  for (let i = 1; i < c.length; i++) {
    if (want <= seg[i - 1] || i === c.length - 1) {
      const t = seg[i - 1] > 0 ? Math.min(1, want / seg[i - 1]) : 1;
      return [c[i - 1][0] + (c[i][0] - c[i - 1][0]) * t, c[i - 1][1] + (c[i][1] - c[i - 1][1]) * t];
    }
    want -= seg[i - 1];
  }
  return [c[c.length - 1][0], c[c.length - 1][1]];
}
