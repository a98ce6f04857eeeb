import { CLOSED_INCIDENT_STATUSES } from '@cad/domain';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { LineString } from 'geojson';
import { DataSource } from 'typeorm';
import { callsOfDay, DEFAULT_ON_SCENE_S, DEFAULT_TURNOUT_S, readSfCalls, ReplayCall, replayCallBody } from '@cad/db';
import { AuthService } from '../auth/auth.service';
import { AppConfig } from '../config/config';
import { RealtimeGateway } from '../events/realtime.gateway';
import { AssignmentsService } from '../incidents/assignments.service';
import { ClockService } from './clock.service';

interface ActiveRow {
  id: string;
  unit_id: string;
  status: 'dispatched' | 'en_route' | 'on_scene';
  eta_seconds: number;
  route: LineString | null;
  dispatched_at: Date;
  en_route_at: Date | null;
  on_scene_at: Date | null;
  call_number: string | null;
  lat: number;
  lon: number;
}

/**
 * Replays a historical day as a drill: posts each call through `POST /api/calls` at its simulated
 * time (exercise calls), and plays the crews: each dispatched unit turns out after the call's
 * historical turnout time, drives its route at graph speed (AVL positions broadcast each tick),
 * arrives, stays the call's historical on-scene time, and clears.
 */
@Injectable()
export class DrillService implements BeforeApplicationShutdown {
  private readonly log = new Logger('Drill');
  private timer: NodeJS.Timeout | null = null;
  private queue: ReplayCall[] = [];
  private byNumber = new Map<string, ReplayCall>();
  private drillId = '';
  private baseUrl = '';
  private ticking: Promise<void> | null = null;
  posted = 0;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly clock: ClockService,
    private readonly assignments: AssignmentsService,
    private readonly realtime: RealtimeGateway,
    private readonly auth: AuthService,
  ) {}

  /** The drill's own sign-in token: it posts calls through the API like a call taker would. */
  private get token(): string {
    this.systemToken ??= this.auth.issue({ userId: 'system-drill', username: 'drill', role: 'system', jurisdictionId: null, unitId: null });
    return this.systemToken;
  }
  private systemToken: string | undefined;

  /**
   * Starts replaying a local day at a speed factor. Open exercise incidents of earlier drills are
   * cancelled and their units returned home first.
   * @param baseUrl the API's own address, e.g. `http://127.0.0.1:3000`
   * @throws Error when the day has no calls in the data
   */
  async start(date: string, speed: number, baseUrl: string): Promise<{ drillId: string; calls: number }> {
    const { rows, problems } = readSfCalls(this.config.dataFile(this.config.CALLS_FILE), this.config.DATA_TIME_ZONE);
    if (problems.length) this.log.warn(`${problems.length} unreadable rows, first at line ${problems[0].line}: ${problems[0].reason}`);
    const calls = callsOfDay(rows, date);
    if (calls.length === 0) throw new Error(`no calls on ${date} in ${this.config.CALLS_FILE}`);
    await this.resetExercise();
    this.drillId = `drill-${date}-${Date.now().toString(36)}`;
    this.queue = calls;
    this.byNumber = new Map(calls.map((c) => [`${this.drillId}:${c.callNumber}`, c]));
    this.baseUrl = baseUrl;
    this.posted = 0;
    const startAt = new Date(calls[0].received.getTime() - 30_000);
    this.clock.start(this.drillId, startAt, speed);
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.tick(), 500);
    this.log.log(`drill ${this.drillId}: ${calls.length} calls of ${date} at ${speed}x`);
    return { drillId: this.drillId, calls: calls.length };
  }

  /** Stops replaying (before the database pool closes). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.clock.stop();
    await this.ticking;
  }

  private async resetExercise(): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(
        `UPDATE assignment a SET status = 'cleared', cleared_at = now() FROM incident i
          WHERE a.incident_id = i.id AND i.exercise AND a.status <> 'cleared'`,
      );
      await m.query(`UPDATE incident SET status = 'cancelled' WHERE exercise AND status <> ALL($1)`, [CLOSED_INCIDENT_STATUSES]);
      await m.query(
        `UPDATE unit u SET status = 'available', lat = home_lat, lon = home_lon, version = version + 1
          WHERE status <> 'out_of_service' AND NOT EXISTS (SELECT 1 FROM assignment a WHERE a.unit_id = u.id AND a.status <> 'cleared')`,
      );
    });
  }

  private async tick(): Promise<void> {
    if (this.ticking || !this.timer) return;
    this.ticking = this.step().finally(() => (this.ticking = null));
    await this.ticking;
  }

  private async step(): Promise<void> {
    try {
      const now = this.clock.now();
      while (this.queue.length && this.queue[0].received <= now) {
        await this.post(this.queue.shift()!);
      }
      await this.playCrews(now);
    } catch (e) {
      this.log.warn(`tick: ${(e as Error).message}`);
    }
  }

  private async post(c: ReplayCall): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(
        replayCallBody(c, { callNumber: `${this.drillId}:${c.callNumber}`, source: 'drill', exercise: true, drillId: this.drillId }),
      ),
    });
    if (res.status !== 202) this.log.warn(`call ${c.callNumber} refused: ${res.status} ${await res.text()}`);
    else this.posted++;
  }

  private async playCrews(now: Date): Promise<void> {
    const rows: ActiveRow[] = await this.ds.query(
      `SELECT a.id, a.unit_id, a.status, a.eta_seconds, a.route, a.dispatched_at, a.en_route_at, a.on_scene_at,
              (SELECT MIN(c.call_number) FROM call c WHERE c.incident_id = i.id) AS call_number, i.lat, i.lon
         FROM assignment a JOIN incident i ON i.id = a.incident_id
        WHERE i.exercise AND i.drill_id = $1 AND a.status <> 'cleared'`,
      [this.drillId],
    );
    const positions: { unitId: string; lat: number; lon: number }[] = [];
    for (const a of rows) {
      const hist = a.call_number ? this.byNumber.get(a.call_number) : undefined;
      const turnout = hist?.turnoutSeconds ?? DEFAULT_TURNOUT_S;
      const scene = hist?.onSceneSeconds ?? DEFAULT_ON_SCENE_S;
      if (a.status === 'dispatched') {
        const due = new Date(a.dispatched_at.getTime() + turnout * 1000);
        if (due <= now) await this.assignments.changeStatus(a.id, 'en_route', due, 'drill');
      } else if (a.status === 'en_route' && a.en_route_at) {
        const arrive = new Date(a.en_route_at.getTime() + a.eta_seconds * 1000);
        if (arrive <= now) {
          await this.assignments.changeStatus(a.id, 'on_scene', arrive, 'drill', { lat: a.lat, lon: a.lon });
        } else {
          const f = a.eta_seconds > 0 ? (now.getTime() - a.en_route_at.getTime()) / (a.eta_seconds * 1000) : 1;
          const [lon, lat] = pointAlong(a.route, f) ?? [a.lon, a.lat];
          positions.push({ unitId: a.unit_id, lat, lon });
        }
      } else if (a.status === 'on_scene' && a.on_scene_at) {
        const clear = new Date(a.on_scene_at.getTime() + scene * 1000);
        if (clear <= now) await this.assignments.changeStatus(a.id, 'cleared', clear, 'drill');
      }
    }
    if (positions.length) {
      await this.ds.query(
        `UPDATE unit u SET lat = p.lat, lon = p.lon FROM unnest($1::text[], $2::float8[], $3::float8[]) AS p(id, lat, lon) WHERE u.id = p.id`,
        [positions.map((p) => p.unitId), positions.map((p) => p.lat), positions.map((p) => p.lon)],
      );
      this.realtime.broadcastAvl(now, positions);
    }
  }
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
