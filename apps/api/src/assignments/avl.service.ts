import { JurisdictionIndex, LIVE_WORLD } from '@cad/domain';
import { JudgedPoint, judgeFix, TrackState, type UnitTrack } from '@cad/routing';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AvlCurrentRow, AvlFixRow, AvlVerdict, Unit } from '@cad/db';
import { InvalidInput, NotFound } from '../common/errors';
import { AppConfig } from '../config/config';
import { RealtimeGateway } from '../events/realtime.gateway';
import { MoveUpArrivalByAvl } from '../move-ups/move-up-arrival-by-avl';
import { ClockOffsetService, deviceOfKey } from './clock-offset.service';

/** How far past the server clock a corrected fix time may be, milliseconds (the offset estimate's own error). */
const MAX_FUTURE_MS = 30_000;
/** A corrected fix time older than this is refused: a GPS clock far off (a 1024-week rollover gives 2004), ms. */
const MAX_FIX_AGE_MS = 24 * 3600_000;
/** The history is pruned of fixes older than `AVL_RETENTION_H` once every this many fixes a process records. */
const PRUNE_EVERY = 200;
/**
 * At most this many of a unit's newest fixes of the `AVL_TRACK_WINDOW_S` window are read to judge a new
 * fix: 60 s at the `AVL_FIX_RATE_PER_S` limit (10/s) is 600.
 */
const WINDOW_FIXES = 1000;

/** One AVL fix as a phone sends it: WGS84 degrees, its own time stamp, metres, degrees, m/s. */
export interface AvlFixInput {
  lat: number;
  lon: number;
  /** When the device took the fix, on the device's clock. */
  deviceAt: Date;
  accuracyM?: number;
  seq?: number;
  headingDeg?: number;
  speedMps?: number;
}

/** What became of a fix (see `judgeFix`), with both times. */
export interface AvlFixResult {
  unitId: string;
  lat: number;
  lon: number;
  /** Corrected fix time (server clock), ISO-8601. */
  at: string;
  deviceAt: string;
  verdict: AvlVerdict;
  /** True when the fix is now the unit's position. */
  used: boolean;
  /** Kept for older phones: true for a fix older than the current one (`late`). */
  stale: boolean;
  /** Highest speed implied from the current fix and the accepted fixes of the window (`judgeFix`), km/h; null for a first, late or coarse fix. */
  impliedKmh: number | null;
}

/** Where the allocator ranks a unit from: its position, or its station when its only fix is stale. */
export interface RankingPosition {
  lat: number;
  lon: number;
  /** Age of the stale fix set aside, seconds (null when the position is trusted). */
  staleFixAgeS: number | null;
}

/** A unit's current fix for the console: corrected time and age. */
export interface FixAge {
  fixAt: string;
  fixAgeS: number;
  staleFix: boolean;
}

/**
 * AVL: every fix is stored (`avl_fix`, kept `AVL_RETENTION_H` hours) with the device's time, the time
 * corrected by the device's clock offset, the receive time, accuracy and sequence; the unit's current
 * position is the newest plausible fix by corrected time (`judgeFix` with `AVL_MAX_SPEED_KMH`,
 * `AVL_TRACK_FIXES`, `AVL_REESTABLISH_S`, `AVL_MAX_ACCURACY_M`, and the unit's fixes of the last
 * `AVL_TRACK_WINDOW_S` (60 s) from `avl_fix`: a fix must be reachable at 200 km/h, less both accuracy
 * radii, from every accepted fix of that window, so 99 m-accuracy steps of 190 m cannot add up). A fix older than `AVL_STALE_S` is not trusted for "closest": the unit is ranked
 * from its station ({@link rankingPositions}).
 */
@Injectable()
export class AvlService {
  private readonly log = new Logger('Avl');
  private recorded = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
    private readonly clocks: ClockOffsetService,
    private readonly realtime: RealtimeGateway,
    private readonly arrivals: MoveUpArrivalByAvl,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Records one fix of a unit from a device (`deviceKey`: `<account>/<device>`, whose clock offset corrects `deviceAt`) and moves the unit when the fix is its new current
   * position (broadcast to consoles as `avl`); such a fix at the new station of the unit's move-up
   * marks the move arrived ({@link MoveUpArrivalByAvl}; a failure there is logged, the fix stays recorded).
   * @throws NotFound for an unknown unit
   * @throws InvalidInput (400) naming `at` for a corrected fix time in the future or more than 24 h old,
   *   and naming `lat/lon` for a fix far outside the service area
   */
  async record(unitId: string, deviceKey: string, fix: AvlFixInput, receivedAt = new Date()): Promise<AvlFixResult> {
    const place = this.index.locate(fix.lat, fix.lon);
    if (place.outsideBoundary && place.distanceMetres > this.config.MAX_OUTSIDE_METRES) {
      throw new InvalidInput(`lat/lon (${fix.lat}, ${fix.lon}) is ${Math.round(place.distanceMetres)} m outside the service area: not a usable fix`);
    }
    // A fix cannot be newer than its arrival: one a few seconds ahead (within MAX_FUTURE_MS) is taken as
    // of its arrival, so it never makes the unit's next true fix look late.
    // A clock just set right (its raw stamp plausible, only the learned offset puts it ahead) is taken as stamped.
    const corrected = await this.clocks.correctedTime(deviceKey, fix.deviceAt, { now: receivedAt, futureToleranceMs: MAX_FUTURE_MS });
    const at = corrected.getTime() > receivedAt.getTime() ? receivedAt : corrected;
    const shown = `at (${fix.deviceAt.toISOString()}${corrected.getTime() !== fix.deviceAt.getTime() ? `, ${corrected.toISOString()} on the server clock` : ''})`;
    if (corrected.getTime() > receivedAt.getTime() + MAX_FUTURE_MS) throw new InvalidInput(`${shown} is in the future: check the device clock`);
    if (at.getTime() < receivedAt.getTime() - MAX_FIX_AGE_MS) throw new InvalidInput(`${shown} is more than 24 hours old: check the device's GPS clock`);
    const out = await this.ds.transaction(async (m) => {
      const unit = await m.findOne(Unit, { where: { world: LIVE_WORLD, id: unitId }, lock: { mode: 'pessimistic_write' } });
      if (!unit) throw new NotFound('unit', unitId);
      const row = await m.findOneBy(AvlCurrentRow, { unitId });
      const state: TrackState = {
        current: row ? { lat: row.lat, lon: row.lon, atMs: row.fixedAt.getTime(), accuracyM: row.accuracyM } : null,
        run: row?.runAt ? { lat: row.runLat!, lon: row.runLon!, atMs: row.runAt.getTime() } : null,
        runLength: row?.runLength ?? 0,
        runSinceMs: row?.runSince ? row.runSince.getTime() : null,
        runSinceReceivedMs: row?.runSinceReceived ? row.runSinceReceived.getTime() : null,
      };
      const rules = {
        maxSpeedKmh: this.config.AVL_MAX_SPEED_KMH,
        reestablishAfter: this.config.AVL_TRACK_FIXES,
        reestablishSpanS: this.config.AVL_REESTABLISH_S,
        maxAccuracyM: this.config.AVL_MAX_ACCURACY_M,
        windowS: this.config.AVL_TRACK_WINDOW_S,
      };
      const recent = await this.recentFixes(m, unitId, at, rules.windowS);
      const j = judgeFix(state, { lat: fix.lat, lon: fix.lon, atMs: at.getTime(), accuracyM: fix.accuracyM ?? null, receivedMs: receivedAt.getTime() }, rules, recent);
      await m.insert(AvlFixRow, {
        unitId,
        deviceId: deviceOfKey(deviceKey),
        seq: fix.seq === undefined ? null : String(fix.seq),
        lat: fix.lat,
        lon: fix.lon,
        accuracyM: fix.accuracyM ?? null,
        deviceAt: fix.deviceAt,
        fixedAt: at,
        receivedAt,
        verdict: j.verdict,
        impliedKmh: j.impliedKmh === null || Number.isFinite(j.impliedKmh) ? j.impliedKmh : 1e9,
      });
      const c = j.next.current!;
      await m.upsert(
        AvlCurrentRow,
        {
          unitId,
          lat: c.lat,
          lon: c.lon,
          accuracyM: c.accuracyM ?? null,
          fixedAt: new Date(c.atMs),
          runLat: j.next.run?.lat ?? null,
          runLon: j.next.run?.lon ?? null,
          runAt: j.next.run ? new Date(j.next.run.atMs) : null,
          runLength: j.next.runLength,
          runSince: j.next.runSinceMs ? new Date(j.next.runSinceMs) : null,
          runSinceReceived: j.next.runSinceReceivedMs ? new Date(j.next.runSinceReceivedMs) : null,
        },
        ['unitId'],
      );
      const used = j.verdict === 'accepted' || j.verdict === 'reestablished';
      if (used) await m.update(Unit, { world: LIVE_WORLD, id: unitId }, { lat: fix.lat, lon: fix.lon });
      // A re-established position rests on its whole run: the run's first fix is how old the evidence is.
      const since = j.verdict === 'reestablished' ? new Date(state.runSinceMs ?? state.run?.atMs ?? at.getTime()) : at;
      return { used, verdict: j.verdict, impliedKmh: j.impliedKmh === null ? null : Math.round(Math.min(j.impliedKmh, 1e9)), streetId: unit.homeStreetId, since };
    });
    const { streetId, since, ...judged } = out;
    // To the consoles of the street the unit is based in now (read with the fix: a move-up moves it).
    if (out.used) {
      this.realtime.broadcastAvl(at, [{ unitId, lat: fix.lat, lon: fix.lon, streetId }]);
      await this.arrivals
        .onTrustedFix(unitId, { lat: fix.lat, lon: fix.lon, at, accuracyM: fix.accuracyM ?? null, since })
        .catch((e: Error) => this.log.warn(`move-up arrival of ${unitId} not checked: ${e.message}`));
    }
    if (++this.recorded % PRUNE_EVERY === 0) await this.prune(receivedAt);
    return { unitId, lat: fix.lat, lon: fix.lon, at: at.toISOString(), deviceAt: fix.deviceAt.toISOString(), stale: out.verdict === 'late', ...judged };
  }

  /**
   * A unit's fixes with corrected times in the `windowS` seconds up to `at` (the newest
   * {@link WINDOW_FIXES}), with their verdicts: what `judgeFix` judges a new fix against besides the
   * current one. Late and coarse fixes never moved anything and are left out.
   */
  private async recentFixes(m: EntityManager, unitId: string, at: Date, windowS: number): Promise<JudgedPoint[]> {
    // Plain SQL, only the columns judged (up to WINDOW_FIXES rows for every fix a phone sends: TypeORM's find would build and hydrate whole entities).
    const rows: { lat: number; lon: number; accuracy_m: number | null; fixed_at: Date; received_at: Date; verdict: JudgedPoint['verdict'] }[] = await m.query(
      `SELECT lat, lon, accuracy_m, fixed_at, received_at, verdict FROM avl_fix
        WHERE unit_id = $1 AND fixed_at BETWEEN $2 AND $3 AND verdict = ANY($4::text[])
        ORDER BY fixed_at DESC, id DESC LIMIT ${WINDOW_FIXES}`,
      [unitId, new Date(at.getTime() - windowS * 1000), at, ['accepted', 'reestablished', 'implausible']],
    );
    return rows.map((r) => ({ lat: r.lat, lon: r.lon, accuracyM: r.accuracy_m, atMs: r.fixed_at.getTime(), receivedMs: r.received_at.getTime(), verdict: r.verdict }));
  }

  /**
   * Deletes fixes older than `AVL_RETENTION_H` hours before `now` from the history (the current fix
   * of each unit is kept in `avl_current` whatever its age).
   * @returns how many fixes were deleted
   */
  async prune(now = new Date()): Promise<number> {
    const r = await this.ds.query(`DELETE FROM avl_fix WHERE fixed_at < $1`, [new Date(now.getTime() - this.config.AVL_RETENTION_H * 3600_000)]);
    return (r as [unknown, number])[1] ?? 0;
  }

  /** A unit's fixes, newest first by corrected time (at most `limit`), with their verdicts. */
  async history(unitId: string, limit = 100) {
    const rows = await this.ds.getRepository(AvlFixRow).find({ where: { unitId }, order: { fixedAt: 'DESC', id: 'DESC' }, take: limit });
    return rows.map((r) => ({
      seq: r.seq === null ? null : Number(r.seq),
      lat: r.lat,
      lon: r.lon,
      accuracyM: r.accuracyM,
      deviceAt: r.deviceAt.toISOString(),
      at: r.fixedAt.toISOString(),
      receivedAt: r.receivedAt.toISOString(),
      verdict: r.verdict,
      impliedKmh: r.impliedKmh,
    }));
  }

  /** Each unit's current fix time and age in seconds at `now`, for units that ever sent one. */
  async fixAges(now = new Date()): Promise<Map<string, FixAge>> {
    const rows = await this.ds.getRepository(AvlCurrentRow).find();
    return new Map(rows.map((r) => [r.unitId, this.ageOf(r, now)]));
  }

  private ageOf(r: Pick<AvlCurrentRow, 'fixedAt'>, now: Date): FixAge {
    const fixAgeS = Math.max(0, Math.round((now.getTime() - r.fixedAt.getTime()) / 1000));
    return { fixAt: r.fixedAt.toISOString(), fixAgeS, staleFix: fixAgeS > this.config.AVL_STALE_S };
  }

  /**
   * Where to rank each unit from for "closest" at `now`: its position, unless that position is its
   * current AVL fix and the fix is older than `AVL_STALE_S` (the unit has not reported since: it may
   * be anywhere), in which case its station (home). A unit placed since its fix by a status report
   * (its last stop, e.g. on scene) is ranked from that stop. Drill worlds pass `now = null`: their
   * positions come from the simulation, not from phones.
   */
  async rankingPositions(units: readonly Unit[], now: Date | null): Promise<Map<string, RankingPosition>> {
    const out = new Map<string, RankingPosition>(units.map((u) => [u.id, { lat: u.lat, lon: u.lon, staleFixAgeS: null }]));
    if (!now || !units.length) return out;
    const rows = await this.ds.getRepository(AvlCurrentRow).findBy({ unitId: In(units.map((u) => u.id)) });
    const byId = new Map(units.map((u) => [u.id, u]));
    for (const r of rows) {
      const u = byId.get(r.unitId)!;
      const age = this.ageOf(r, now);
      const atFix = Math.abs(u.lat - r.lat) < 1e-9 && Math.abs(u.lon - r.lon) < 1e-9;
      if (age.staleFix && atFix) out.set(u.id, { lat: u.homeLat, lon: u.homeLon, staleFixAgeS: age.fixAgeS });
    }
    return out;
  }

  /**
   * The recent track of each live-world unit whose position is its current AVL fix, fresh at `now`
   * (not older than `AVL_STALE_S`): that fix and the unit's newest trusted fix (accepted or
   * re-established) before it within `AVL_TRACK_WINDOW_S` (60 s), with their accuracy radii (m). What
   * `unitStartNode` reads to tell a unit driving through a tunnel from one parked above it. Units
   * without such a pair (a single fix, a stale one, a position set by a status report, a drill's
   * simulated unit) are left out. One query, by `avl_fix_unit_time`.
   */
  async tracks(units: readonly Unit[], now: Date): Promise<Map<string, UnitTrack>> {
    const live = units.filter((u) => u.world === LIVE_WORLD);
    if (!live.length) return new Map();
    const rows: { unit_id: string; lat: number; lon: number; accuracy_m: number | null; fixed_at: Date; p_lat: number; p_lon: number; p_accuracy_m: number | null }[] = await this.ds.query(
      `SELECT c.unit_id, c.lat, c.lon, c.accuracy_m, c.fixed_at, p.lat AS p_lat, p.lon AS p_lon, p.accuracy_m AS p_accuracy_m
         FROM avl_current c
         JOIN LATERAL (
           SELECT f.lat, f.lon, f.accuracy_m FROM avl_fix f
            WHERE f.unit_id = c.unit_id AND f.verdict IN ('accepted', 'reestablished')
              AND f.fixed_at < c.fixed_at AND f.fixed_at >= c.fixed_at - make_interval(secs => $2)
            ORDER BY f.fixed_at DESC, f.id DESC LIMIT 1) p ON true
        WHERE c.unit_id = ANY($1)`,
      [live.map((u) => u.id), this.config.AVL_TRACK_WINDOW_S],
    );
    const byId = new Map(live.map((u) => [u.id, u]));
    const out = new Map<string, UnitTrack>();
    for (const r of rows) {
      const u = byId.get(r.unit_id)!;
      const atFix = Math.abs(u.lat - r.lat) < 1e-9 && Math.abs(u.lon - r.lon) < 1e-9;
      if (!atFix || this.ageOf({ fixedAt: new Date(r.fixed_at) }, now).staleFix) continue;
      out.set(u.id, { previous: { lat: r.p_lat, lon: r.p_lon, accuracyM: r.p_accuracy_m }, current: { lat: r.lat, lon: r.lon, accuracyM: r.accuracy_m } });
    }
    return out;
  }
}

/** The words a recommendation or dispatch reason adds for a unit ranked from its station: `stale fix (1200 s old): ranked from its station`. */
export function staleFixReason(p: RankingPosition | undefined): string {
  return p?.staleFixAgeS != null ? `stale fix (${p.staleFixAgeS} s old): ranked from its station` : '';
}
