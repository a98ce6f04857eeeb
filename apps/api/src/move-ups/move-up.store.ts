import { MoveUpState, MoveUpStatus, MoveUpView, PastMove } from '@cad/domain';
import { EntityManager, In } from 'typeorm';
import { MoveUpRow, Station, Unit } from '@cad/db';

/** Statuses of a move still open (a unit has at most one per world). */
export const OPEN_MOVE_STATUSES = ['proposed', 'moving'] as const;

/** SQL of the move-ups room: `move_up` rows, the hourly history, and what the views need to read. */
export const moveUpStore = {
  /** The move, locked for the rest of the transaction; null when unknown. */
  lock(m: EntityManager, id: string): Promise<MoveUpRow | null> {
    return m.findOne(MoveUpRow, { where: { id }, lock: { mode: 'pessimistic_write' } });
  },

  /**
   * Serialises the proposals and starts of one world (the city-wide hourly bound is counted, then a
   * move added, with nobody else doing the same in between): a transaction-scoped advisory lock.
   */
  async lockWorld(m: EntityManager, world: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('move_up:' || $1))`, [world]);
  },

  /**
   * Moves of `world` for the hourly bounds at `at`: every move that started (its start instant) in the
   * hour before `at`, and every open proposal (its proposal instant: it may start any moment), except `exceptId`.
   */
  async history(m: EntityManager, world: string, at: Date, exceptId: string | null = null): Promise<PastMove[]> {
    const rows: { unit_id: string; t: Date }[] = await m.query(
      `SELECT unit_id, COALESCE(started_at, proposed_at) AS t FROM move_up
        WHERE world = $1 AND ($3::uuid IS NULL OR id <> $3::uuid)
          AND ((started_at IS NOT NULL AND started_at > $2::timestamptz - interval '1 hour' AND started_at <= $2) OR status = 'proposed')`,
      [world, at, exceptId],
    );
    // An open proposal counts as of `at` (it has not set off yet but may at once).
    return rows.map((r) => ({ unitId: r.unit_id, atMs: Math.min(new Date(r.t).getTime(), at.getTime()) }));
  },

  /**
   * The unit's `moving` move of `world` with where it goes (its target station, WGS84 degrees) and when
   * it set off; null when the unit is not moving up.
   */
  async moving(m: EntityManager, world: string, unitId: string): Promise<{ id: string; startedAt: Date | null; lat: number; lon: number } | null> {
    const [r]: { id: string; started_at: Date | null; lat: number; lon: number }[] = await m.query(
      `SELECT mu.id, mu.started_at, s.lat, s.lon FROM move_up mu JOIN station s ON s.id = mu.to_station_id
        WHERE mu.world = $1 AND mu.unit_id = $2 AND mu.status = 'moving'`,
      [world, unitId],
    );
    return r ? { id: r.id, startedAt: r.started_at, lat: r.lat, lon: r.lon } : null;
  },

  /** When the unit last cleared an incident in `world` (epoch ms), or null. */
  async clearedAtMs(m: EntityManager, world: string, unitId: string): Promise<number | null> {
    const [r] = await m.query(`SELECT MAX(cleared_at) AS t FROM assignment WHERE world = $1 AND unit_id = $2`, [world, unitId]);
    return r?.t ? new Date(r.t).getTime() : null;
  },

  /** Open moves of `world` whose dispatcher timeout may have run out by `at`. */
  timedOut(m: EntityManager, world: string, at: Date): Promise<{ id: string }[]> {
    return m.query(
      `SELECT id FROM move_up WHERE world = $1 AND status = 'proposed' AND dispatcher IS NULL AND confirm_timeout_s IS NOT NULL
         AND proposed_at + confirm_timeout_s * interval '1 second' <= $2 ORDER BY proposed_at, id`,
      [world, at],
    );
  },

  /**
   * Moves of `world`, newest first: open ones, plus (with `all`) those ended; only those whose
   * jurisdictions include `jurisdictionId` when given, only unit `unitId`'s when given.
   */
  list(m: EntityManager, world: string, opts: { jurisdictionId?: string | null; unitId?: string | null; all?: boolean }): Promise<MoveUpRow[]> {
    const q = m.getRepository(MoveUpRow).createQueryBuilder('mv').where('mv.world = :world', { world });
    if (!opts.all) q.andWhere('mv.status IN (:...open)', { open: OPEN_MOVE_STATUSES });
    if (opts.jurisdictionId) q.andWhere(':jid = ANY(mv.jurisdiction_ids)', { jid: opts.jurisdictionId });
    if (opts.unitId) q.andWhere('mv.unit_id = :unitId', { unitId: opts.unitId });
    return q.orderBy('mv.proposed_at', 'DESC').addOrderBy('mv.id', 'ASC').take(200).getMany();
  },

  /** Views of moves: call signs and station names read in two queries. */
  async views(m: EntityManager, rows: MoveUpRow[]): Promise<MoveUpView[]> {
    if (!rows.length) return [];
    const stationIds = [...new Set(rows.flatMap((r) => [r.toStationId, r.fromStationId ?? r.toStationId]))];
    const stations = new Map((await m.findBy(Station, { id: In(stationIds) })).map((s) => [s.id, s.name]));
    const units = await m.findBy(Unit, { world: In([...new Set(rows.map((r) => r.world))]), id: In([...new Set(rows.map((r) => r.unitId))]) });
    const signs = new Map(units.map((u) => [`${u.world}/${u.id}`, u.callsign]));
    return rows.map((r) => ({
      id: r.id,
      world: r.world,
      unitId: r.unitId,
      callsign: signs.get(`${r.world}/${r.unitId}`) ?? r.unitId,
      fromStationId: r.fromStationId,
      fromStationName: r.fromStationId ? (stations.get(r.fromStationId) ?? r.fromStationId) : null,
      toStationId: r.toStationId,
      toStationName: stations.get(r.toStationId) ?? r.toStationId,
      owningDistrictId: r.owningDistrictId,
      status: r.status as MoveUpStatus,
      dispatcher: r.dispatcher as MoveUpView['dispatcher'],
      districtConsented: r.consentedBy !== null,
      crewAcknowledged: r.acknowledgedBy !== null,
      confirmTimeoutS: r.confirmTimeoutS,
      gainShare: r.gainShare,
      gapShare: r.gapShare,
      reason: r.reason,
      incidentId: r.incidentId,
      proposedAt: r.proposedAt.toISOString(),
      startedAt: r.startedAt?.toISOString() ?? null,
      endedAt: r.endedAt?.toISOString() ?? null,
    }));
  },
};

/** The domain state of a stored move (for `moveUpTransition`). */
export function stateOf(r: MoveUpRow): MoveUpState {
  return {
    unitId: r.unitId,
    status: r.status as MoveUpStatus,
    proposedAtMs: r.proposedAt.getTime(),
    confirmTimeoutS: r.confirmTimeoutS,
    dispatcher: r.dispatcher as MoveUpState['dispatcher'],
    districtConsented: r.consentedBy !== null,
    crewAcknowledged: r.acknowledgedBy !== null,
    reason: r.reason,
  };
}
