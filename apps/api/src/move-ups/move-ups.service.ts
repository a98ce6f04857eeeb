import { checkMoveUp, DISPATCHABLE_UNIT_STATUSES, JurisdictionIndex, MoveUpEvent, MoveUpEventPayload, MoveUpPolicy, MoveUpRecorded, moveUpTransition, MoveUpView, proposeMove } from '@cad/domain';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { MoveUpRow, Station, Unit } from '@cad/db';
import { NotFound, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { CoverageService } from '../coverage/coverage.service';
import { EventsService } from '../events/events.service';
import { moveUpStore, stateOf } from './move-up.store';

/** The city's move-up policy from its configuration (MOVE_UP_*; the city profile's `moveUps` fills them). */
export function moveUpPolicyOf(c: AppConfig): MoveUpPolicy {
  return {
    mode: c.MOVE_UP_MODE,
    confirmTimeoutS: c.MOVE_UP_CONFIRM_TIMEOUT_S > 0 ? c.MOVE_UP_CONFIRM_TIMEOUT_S : null,
    minSinceClearedS: c.MOVE_UP_MIN_SINCE_CLEARED_S,
    maxMovesPerUnitPerHour: c.MOVE_UP_MAX_PER_UNIT_PER_HOUR,
    maxMovesPerHour: c.MOVE_UP_MAX_PER_HOUR,
    minNetGain: c.MOVE_UP_MIN_NET_GAIN,
  };
}

/** A move the policy does not allow (409), with the policy's reason. */
export class MoveUpRefused extends StateConflict {}

/** Who says no to a move: its dispatcher, the owning district, or the crew. */
export type MoveUpRefuser = 'dispatcher' | 'district' | 'crew';

/**
 * Move-ups carried out (issue 19 part 5), in any world (live, or a drill's: the drill calls the same
 * methods for its simulated dispatcher, district and crews, with its simulated time). Every step runs
 * in one transaction with its `moveup.*` event(s); the rules are `libs/domain/src/move-up-policy.ts`
 * (`checkMoveUp` on proposal and again when the unit would set off; `moveUpTransition` for each step).
 * A move is cancelled when its unit is dispatched by the trigger `move_up_cancel_on_dispatch`
 * (migration 1766460000001), inside the dispatching transaction.
 * Access (which post may confirm, consent, acknowledge) is the controller's; methods take the actor's name.
 */
@Injectable()
export class MoveUpsService {
  constructor(
    private readonly ds: DataSource,
    private readonly events: EventsService,
    private readonly index: JurisdictionIndex,
    private readonly coverage: CoverageService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The city's policy (see {@link moveUpPolicyOf}). */
  policy(): MoveUpPolicy {
    return moveUpPolicyOf(this.config);
  }

  /**
   * Proposes moving available unit `unitId` of `world` to station `toStationId` at `at` (event time;
   * simulated in a drill), after `checkMoveUp`: `apply` mode, not cleared within the policy's time,
   * the hourly bounds (moves started in the last hour and open proposals), and the net gain of covered
   * demand (see `CoverageService.moveEffect`). Records `moveup.proposed`. `policy` defaults to the city's;
   * a drill comparing policies passes its own (e.g. `apply` while the city only recommends).
   * @throws NotFound (404) for an unknown unit or station
   * @throws MoveUpRefused (409) naming the policy's reason; StateConflict (409) when the unit is not
   *   available, already has an open move, or is based at that station
   */
  async propose(world: string, unitId: string, toStationId: string, at: Date, actor: string, policy: MoveUpPolicy = this.policy()): Promise<MoveUpView> {
    if (policy.mode !== 'apply') throw new MoveUpRefused('move-ups are recommended only in this city (MOVE_UP_MODE=recommend)');
    const effect = await this.coverage.moveEffect(world, unitId, toStationId);
    return this.ds.transaction(async (m) => {
      await moveUpStore.lockWorld(m, world);
      const unit = await m.findOneBy(Unit, { world, id: unitId });
      if (!unit) throw new NotFound('unit', unitId);
      const station = await m.findOneBy(Station, { id: toStationId });
      if (!station) throw new NotFound('station', toStationId);
      if (!DISPATCHABLE_UNIT_STATUSES.includes(unit.status)) throw new StateConflict(`unit ${unitId} is ${unit.status}: only an available (or returning) unit is moved up`, unit.status);
      if (unit.stationId === toStationId) throw new StateConflict(`unit ${unitId} is already based at ${station.name}`);
      if (!effect) throw new StateConflict(`unit ${unitId} is not dispatchable in ${world}`);
      const check = checkMoveUp(
        { unitId, owningDistrictId: this.districtOf(unit.homeStreetId), toStationId, clearedAtMs: await moveUpStore.clearedAtMs(m, world, unitId), gainShare: effect.gainShare, gapShare: effect.gapShare },
        policy,
        await moveUpStore.history(m, world, at),
        at.getTime(),
      );
      if (!check.ok) throw new MoveUpRefused(check.reason);
      const s = proposeMove(unitId, at.getTime(), policy);
      let row: MoveUpRow;
      try {
        await m.query('SAVEPOINT move_up_insert');
        row = await m.save(
          m.create(MoveUpRow, {
            world,
            unitId,
            fromStationId: unit.stationId,
            fromHomeLat: unit.homeLat,
            fromHomeLon: unit.homeLon,
            fromHomeStreetId: unit.homeStreetId,
            toStationId,
            owningDistrictId: this.districtOf(unit.homeStreetId),
            jurisdictionIds: [...new Set([...this.index.chain(unit.homeStreetId), ...this.index.chain(station.streetId)])],
            status: s.status,
            gainShare: effect.gainShare,
            gapShare: effect.gapShare,
            confirmTimeoutS: s.confirmTimeoutS,
            dispatcher: null,
            confirmedBy: null,
            consentedBy: null,
            acknowledgedBy: null,
            reason: null,
            incidentId: null,
            proposedBy: actor,
            proposedAt: at,
            startedAt: null,
            endedAt: null,
          }),
        );
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e;
        await m.query('ROLLBACK TO SAVEPOINT move_up_insert');
        throw new StateConflict(`unit ${unitId} already has an open move-up`);
      }
      await this.record(m, row, ['moveup.proposed'], at, actor);
      return (await moveUpStore.views(m, [row]))[0];
    });
  }

  /** The dispatcher confirms (idempotent: a second confirmation changes nothing). @throws see {@link step} */
  confirm(id: string, at: Date, actor: string): Promise<MoveUpView> {
    return this.step(id, { type: 'dispatcher_confirmed' }, at, actor);
  }

  /** The owning district's post consents (idempotent). @throws see {@link step} */
  consent(id: string, at: Date, actor: string): Promise<MoveUpView> {
    return this.step(id, { type: 'district_consented' }, at, actor);
  }

  /** The unit's crew acknowledges (idempotent). @throws see {@link step} */
  acknowledge(id: string, at: Date, actor: string): Promise<MoveUpView> {
    return this.step(id, { type: 'crew_acknowledged' }, at, actor);
  }

  /** The unit reached its new station: the move is done (its position is the station's). @throws see {@link step} */
  arrive(id: string, at: Date, actor: string): Promise<MoveUpView> {
    return this.step(id, { type: 'arrived' }, at, actor);
  }

  /** Someone says no: the move is refused with `by: reason`. @throws see {@link step} */
  refuse(id: string, by: MoveUpRefuser, reason: string, at: Date, actor: string): Promise<MoveUpView> {
    return this.step(id, { type: 'refused', by, reason }, at, actor);
  }

  /**
   * A drill's simulated agreement to a move, all at simulated instant `at`: its dispatcher confirms
   * (`drill:dispatcher`), the owning district consents (`drill:district`) and the crew acknowledges
   * (`drill:crew`), so the unit sets off at `at` if the policy still allows it. The drill calls it a
   * fixed delay after the proposal (see docs/drills.md), and {@link arrive} when the unit's modelled
   * travel to the station is over. Each step is recorded as in live work.
   * @throws see {@link step}
   */
  async simulatedAgreement(id: string, at: Date): Promise<MoveUpView> {
    await this.confirm(id, at, 'drill:dispatcher');
    await this.consent(id, at, 'drill:district');
    return this.acknowledge(id, at, 'drill:crew');
  }

  /**
   * Lets time pass in `world` up to `at`: every proposed move whose dispatcher timeout ran out with
   * nobody refusing counts as confirmed (`moveup.confirmed`, `dispatcher: timeout`).
   * @returns the moves that changed
   */
  async tick(world: string, at: Date, actor = 'system:move-ups'): Promise<MoveUpView[]> {
    const due = await moveUpStore.timedOut(this.ds.manager, world, at);
    const out: MoveUpView[] = [];
    for (const { id } of due) out.push(await this.step(id, { type: 'tick', atMs: at.getTime() }, at, actor));
    return out;
  }

  /** One move. @throws NotFound (404) */
  async get(id: string): Promise<MoveUpView> {
    const row = await this.ds.getRepository(MoveUpRow).findOneBy({ id });
    if (!row) throw new NotFound('move-up', id);
    return (await moveUpStore.views(this.ds.manager, [row]))[0];
  }

  /** The stored row (for access checks). @throws NotFound (404) */
  async row(id: string): Promise<MoveUpRow> {
    const row = await this.ds.getRepository(MoveUpRow).findOneBy({ id });
    if (!row) throw new NotFound('move-up', id);
    return row;
  }

  /** The streets at both ends of a move: where the unit was based, and the target station's. */
  async ends(row: MoveUpRow): Promise<{ fromStreetId: string | null; toStreetId: string | null }> {
    const s = await this.ds.getRepository(Station).findOneBy({ id: row.toStationId });
    return { fromStreetId: row.fromHomeStreetId, toStreetId: s?.streetId ?? null };
  }

  /** Moves of `world` (open ones, or with `all` every one), by jurisdiction or unit; newest first, at most 200. */
  async list(world: string, opts: { jurisdictionId?: string | null; unitId?: string | null; all?: boolean }): Promise<MoveUpView[]> {
    return moveUpStore.views(this.ds.manager, await moveUpStore.list(this.ds.manager, world, opts));
  }

  /**
   * Applies one step to a move in one transaction with its events. The unit sets off (`moving`, its
   * home station, position and street become the target's) once the dispatcher, the district and the
   * crew have all agreed, and only if `checkMoveUp` still holds then (time since clearing, hourly
   * bounds; else the move is refused with the policy's reason).
   * @throws NotFound (404) for an unknown move
   * @throws StateConflict (409) when the move already ended (refused, cancelled, done), naming its status
   */
  private async step(id: string, e: MoveUpEvent, at: Date, actor: string): Promise<MoveUpView> {
    return this.ds.transaction(async (m) => {
      const first = await moveUpStore.lock(m, id);
      if (!first) throw new NotFound('move-up', id);
      await moveUpStore.lockWorld(m, first.world);
      const row = (await moveUpStore.lock(m, id))!;
      if (row.status === 'refused' || row.status === 'cancelled' || row.status === 'done') {
        throw new StateConflict(`move-up ${id} is ${row.status}${row.reason ? ` (${row.reason})` : ''}`, row.status);
      }
      const { state, record } = moveUpTransition(stateOf(row), e);
      if (!record.length) return (await moveUpStore.views(m, [row]))[0];
      let recorded: MoveUpRecorded[] = record;
      const patch: Partial<MoveUpRow> = { status: state.status, dispatcher: state.dispatcher, reason: state.reason };
      if (record.includes('moveup.confirmed')) patch.confirmedBy = e.type === 'tick' ? 'timeout' : actor;
      if (record.includes('moveup.consented')) patch.consentedBy = actor;
      if (record.includes('moveup.acknowledged')) patch.acknowledgedBy = actor;
      if (record.includes('moveup.started')) {
        const again = await this.recheck(m, row, at);
        if (again) {
          recorded = [...record.filter((r) => r !== 'moveup.started'), 'moveup.refused'];
          Object.assign(patch, { status: 'refused', reason: `policy: ${again}`, endedAt: at });
        } else {
          patch.startedAt = at;
          await this.relocate(m, row);
        }
      }
      if (state.status === 'refused' || state.status === 'done') patch.endedAt = at;
      if (record.includes('moveup.done')) await this.arrived(m, row);
      await m.update(MoveUpRow, { id }, patch);
      const after = (await m.findOneByOrFail(MoveUpRow, { id }))!;
      await this.record(m, after, recorded, at, actor);
      return (await moveUpStore.views(m, [after]))[0];
    });
  }

  /** Why the policy no longer lets the unit set off at `at` (cleared since, hourly bounds), or null. */
  private async recheck(m: EntityManager, row: MoveUpRow, at: Date): Promise<string | null> {
    const unit = await m.findOneBy(Unit, { world: row.world, id: row.unitId });
    if (!unit || !DISPATCHABLE_UNIT_STATUSES.includes(unit.status)) return `unit ${row.unitId} is ${unit?.status ?? 'gone'}`;
    // The mode was checked when the move was proposed (a drill may have proposed it under its own `apply`).
    const check = checkMoveUp(
      { unitId: row.unitId, owningDistrictId: row.owningDistrictId, toStationId: row.toStationId, clearedAtMs: await moveUpStore.clearedAtMs(m, row.world, row.unitId), gainShare: row.gainShare, gapShare: row.gapShare },
      { ...this.policy(), mode: 'apply' },
      await moveUpStore.history(m, row.world, at, row.id),
      at.getTime(),
    );
    return check.ok ? null : check.reason;
  }

  /** The unit's home becomes the target station (station, home point and street): it is drawn and ranked from there. */
  private async relocate(m: EntityManager, row: MoveUpRow): Promise<void> {
    const s = await m.findOneByOrFail(Station, { id: row.toStationId });
    await m.update(Unit, { world: row.world, id: row.unitId }, { stationId: s.id, homeLat: s.lat, homeLon: s.lon, homeStreetId: s.streetId });
  }

  /** The unit is at its new station: its position is the station's. */
  private async arrived(m: EntityManager, row: MoveUpRow): Promise<void> {
    const s = await m.findOneByOrFail(Station, { id: row.toStationId });
    await m.update(Unit, { world: row.world, id: row.unitId }, { lat: s.lat, lon: s.lon });
  }

  /** Appends one `moveup.*` event per recorded step, to the move's jurisdictions (and the unit's phone room, live only). */
  private async record(m: EntityManager, row: MoveUpRow, types: MoveUpRecorded[], at: Date, actor: string): Promise<void> {
    const payload: MoveUpEventPayload = { moveId: row.id, unitId: row.unitId, toStationId: row.toStationId, status: row.status, reason: row.reason, incidentId: row.incidentId };
    for (const type of types) {
      await this.events.append(m, { type, unitId: row.unitId, world: row.world, jurisdictionIds: row.jurisdictionIds, at, actor, payload });
    }
  }

  /** The district a street lies in (null outside every district). */
  private districtOf(streetId: string | null): string | null {
    const chain = this.index.chain(streetId);
    return chain.find((j) => this.index.get(j)?.level === 'district') ?? null;
  }
}
