import { agencyOfCapability, CAPABILITIES, Capability, JurisdictionIndex } from '@cad/domain';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InvalidInput, OutsideJurisdiction, ServiceUnavailable, StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { QueuesService } from '../queues/queues.service';
import { Call } from '@cad/db';
import { CreateCallDto } from './dto/create-call.dto';
import { CallBatchWriter, CallWritten, NoFreeCallNumber } from '../intake/call-batch-writer';

/**
 * Generated call numbers tried before a call taken without a number is refused (503, retry). A clash
 * moves the sequence past the whole block of typed numbers, so only races between API processes use
 * more than two tries.
 */
export const NUMBER_TRIES = 50;

/**
 * A live call's `receivedAt` up to this many seconds ahead of the server clock is a device's clock
 * skew: it is stored as the server's receipt time (never after the call was entered); later is refused.
 */
export const CLOCK_SKEW_TOLERANCE_S = 300;

/** Drill run states (`drill_run.state`) that take exercise calls: the drill's world is alive. */
const LIVE_DRILL_STATES: readonly string[] = ['running', 'paused'];

/** Accepts calls for service: stores the raw call, then queues its intake. */
@Injectable()
export class CallsService {
  private readonly log = new Logger('Calls');

  constructor(
    private readonly ds: DataSource,
    private readonly queues: QueuesService,
    private readonly index: JurisdictionIndex,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.writer = new CallBatchWriter((sql, params) => this.ds.query(sql, params), (ids) => this.queues.addIntakes(ids.map((callId) => ({ callId }))), {
      numberTries: NUMBER_TRIES,
      onQueueFailure: (ids, e) => this.log.warn(`${ids.length} call(s) stored, intake not queued (${e.message}); the reconciler will queue them`),
    });
  }

  /** Concurrent calls are stored with one multi-row INSERT and queued with one `addBulk` (issue 19). */
  private readonly writer: CallBatchWriter;

  /**
   * Stores a validated call and queues it on `intake`. A call whose `callNumber` was already received
   * in its world (a live call: a live call's number; an exercise call: a call of the same drill run),
   * compared ignoring case, is not stored twice: the first call's id is returned with `duplicate: true` (and its intake is
   * queued again, which is harmless: the job id is the call id). A call taken without a number gets
   * the next number from `call_number_seq` (bigint), at least six digits and as many as it needs past
   * them (`C-000123`, `C-999999`, `C-1000000`: never truncated). When a generated number is taken
   * already (a caller sent that number itself, or a block of them) the sequence jumps to the first free
   * number past them and that one is tried, up to {@link NUMBER_TRIES} times (see `SKIP_TAKEN_NUMBERS`).
   * A live call's `receivedAt` must lie within the last 24 hours and not in the future; up to
   * {@link CLOCK_SKEW_TOLERANCE_S} ahead of the server clock is clock skew, stored as the receipt time.
   * @throws InvalidInput (400) naming `receivedAt` when it is older than 24 hours or further ahead than the tolerance
   * @throws InvalidInput (400) naming `drillId` for an exercise call that names no recorded drill run
   * @throws StateConflict (409) naming `drillId` when that drill run is no longer running (`finished`,
   *   `stopped`, `failed`); a `paused` one takes calls, which wait for it to resume
   * @throws StateConflict (409) naming `callNumber` when that number was received in the same world with another type or position
   * @throws InvalidInput (400) when lat and lon look swapped (the point is far outside, the swapped one inside)
   * @throws OutsideJurisdiction (422) when the point is more than `MAX_OUTSIDE_METRES` outside every street
   * @throws ServiceUnavailable (503) when the job queue (Redis) is down, or no free call number was found
   *   in {@link NUMBER_TRIES} tries: nothing is stored, the caller retries
   */
  async accept(dto: CreateCallDto): Promise<{ id: string; duplicate: boolean }> {
    const place = this.index.locate(dto.lat, dto.lon);
    if (place.outsideBoundary && place.distanceMetres > this.config.MAX_OUTSIDE_METRES && Math.abs(dto.lon) <= 90) {
      const swapped = this.index.locate(dto.lon, dto.lat);
      if (!swapped.outsideBoundary) {
        throw new InvalidInput(`lat/lon (${dto.lat}, ${dto.lon}) look swapped: (${dto.lon}, ${dto.lat}) lies in ${swapped.streetId}; send lat first`);
      }
    }
    if (place.outsideBoundary && place.distanceMetres > this.config.MAX_OUTSIDE_METRES) {
      throw new OutsideJurisdiction(
        `lat/lon (${dto.lat}, ${dto.lon}) is ${Math.round(place.distanceMetres)} m outside every jurisdiction ` +
          `(limit ${this.config.MAX_OUTSIDE_METRES} m); check the coordinates or route the call to the agency that covers it`,
      );
    }
    // The server's receipt time: a live call is never stored as received after it was entered.
    const receipt = Date.now();
    let receivedAt = dto.receivedAt ? new Date(dto.receivedAt) : new Date(receipt);
    if (dto.receivedAt && !dto.exercise) {
      const t = receivedAt.getTime();
      if (t > receipt + CLOCK_SKEW_TOLERANCE_S * 1000 || t < receipt - 24 * 3600_000) {
        throw new InvalidInput(
          `receivedAt (${dto.receivedAt}) must be within the last 24 hours and not in the future for a live call ` +
            `(up to ${CLOCK_SKEW_TOLERANCE_S / 60} minutes ahead is taken as the device's clock skew and stored as the server's receipt time; drill calls set exercise: true)`,
        );
      }
      if (t > receipt) receivedAt = new Date(receipt);
    }
    if (dto.exercise || dto.drillId) {
      // Exercise calls belong to a drill run (isolated, reported, cleaned up with it): never a stray one.
      if (!dto.exercise || !dto.drillId) throw new InvalidInput('drillId: an exercise call needs exercise: true and the drillId of a drill run (POST /api/drills starts one)');
      const [run] = await this.ds.query(`SELECT state FROM drill_run WHERE id = $1`, [dto.drillId]);
      if (!run) throw new InvalidInput(`drillId: no drill run ${dto.drillId}`);
      // A finished, stopped or failed drill has no world running its calls: one would be an orphan incident retried forever.
      if (!LIVE_DRILL_STATES.includes(run.state)) {
        throw new StateConflict(`drillId: drill run ${dto.drillId} is ${run.state}; exercise calls are taken only while it is running (or paused)`, run.state);
      }
    }
    const firstAlarm = dto.firstAlarm == null ? null : checkedFirstAlarm(dto.firstAlarm, dto.drillId);
    if (!this.queues.redisReady) throw new ServiceUnavailable('the job queue (Redis) is unavailable: call not accepted, retry');
    let written: CallWritten;
    try {
      written = await this.writer.write({
        callNumber: dto.callNumber ?? null,
        type: dto.type,
        priority: dto.priority ?? 2,
        lat: dto.lat,
        lon: dto.lon,
        address: dto.address ?? null,
        notes: dto.notes ?? null,
        source: dto.source ?? (dto.exercise ? 'drill' : 'api'),
        receivedAt,
        exercise: dto.exercise ?? false,
        drillId: dto.drillId ?? null,
        accuracyM: dto.accuracyM ?? null,
        roadway: dto.roadway ?? null,
        headingDegrees: dto.headingDegrees ?? null,
        takenOffline: dto.takenOffline ?? false,
        firstAlarm,
      });
    } catch (e) {
      if (e instanceof NoFreeCallNumber) throw new ServiceUnavailable(`no free call number in ${NUMBER_TRIES} tries: call not accepted, retry`);
      throw e;
    }
    let id: string;
    let duplicate = false;
    if (written.id) id = written.id;
    else {
      // The first call of that number in this call's world (live, or its drill run), ignoring case.
      const [first] = (await this.ds.query(
        `SELECT id, type, lat, lon, first_alarm AS "firstAlarm" FROM call
          WHERE call_number IS NOT NULL AND COALESCE(drill_id, '') = COALESCE($1::varchar, '') AND upper(call_number) = upper($2)`,
        [dto.drillId ?? null, dto.callNumber],
      )) as Pick<Call, 'id' | 'type' | 'lat' | 'lon' | 'firstAlarm'>[];
      if (!first) throw new ServiceUnavailable(`callNumber ${dto.callNumber} conflicted but its first call was not found: retry`);
      if (first.type !== dto.type.normalize('NFC').trim() || Math.abs(first.lat - dto.lat) > 1e-6 || Math.abs(first.lon - dto.lon) > 1e-6) {
        throw new StateConflict(`callNumber ${dto.callNumber} was already received with a different type or position: use a new call number`, { callNumber: dto.callNumber });
      }
      if (!sameFirstAlarm(first.firstAlarm, firstAlarm)) {
        throw new StateConflict(`callNumber ${dto.callNumber} was already received with a different firstAlarm: use a new call number`, { callNumber: dto.callNumber });
      }
      id = first.id;
      duplicate = true;
    }
    // A repeat of a stored call queues its intake again (harmless: the job id is the call id).
    if (duplicate) {
      try {
        await this.queues.addIntake({ callId: id });
      } catch (e) {
        this.log.warn(`call ${id} stored, intake not queued (${(e as Error).message}); the reconciler will queue it`);
      }
    }
    return { id, duplicate };
  }
}

/** Capabilities a drill call's own first alarm may name: the fire and EMS units a drill's world dispatches itself. */
export const FIRST_ALARM_CAPABILITIES = CAPABILITIES.filter((c) => ['fire', 'ems'].includes(agencyOfCapability(c)));

/** Most units of one capability a call's own first alarm may ask for. */
export const MAX_FIRST_ALARM_UNITS = 20;

/**
 * Checks a call's own first alarm (`CreateCallDto.firstAlarm`): only a drill call may carry one; each key
 * a fire or EMS capability ({@link FIRST_ALARM_CAPABILITIES}), each value a whole number
 * 0–{@link MAX_FIRST_ALARM_UNITS}, at least one unit in all. @returns the units per capability, zeros left out
 * @throws InvalidInput (400) naming `firstAlarm` (or `firstAlarm.<key>`) for any other
 */
export function checkedFirstAlarm(given: Record<string, unknown>, drillId: string | undefined): Partial<Record<Capability, number>> {
  if (!drillId) throw new InvalidInput('firstAlarm: only a drill call (exercise: true with a drillId) may carry its own first alarm; live calls get their response plan');
  if (!given || typeof given !== 'object' || Array.isArray(given)) throw new InvalidInput('firstAlarm must be an object of units per capability, e.g. {"engine": 1}');
  const out: Partial<Record<Capability, number>> = {};
  for (const [k, n] of Object.entries(given)) {
    if (!(FIRST_ALARM_CAPABILITIES as readonly string[]).includes(k)) {
      throw new InvalidInput(`firstAlarm.${k}: not a capability a drill sends (one of ${FIRST_ALARM_CAPABILITIES.join(', ')}; other agencies' units are asked of their posts)`);
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_FIRST_ALARM_UNITS) throw new InvalidInput(`firstAlarm.${k}: must be a whole number of units from 0 to ${MAX_FIRST_ALARM_UNITS}`);
    if (n > 0) out[k as Capability] = n;
  }
  if (!Object.keys(out).length) throw new InvalidInput('firstAlarm: must ask for at least one unit');
  return out;
}

/** Whether two first alarms ask for the same units (null: none of its own). */
function sameFirstAlarm(a: Record<string, number> | null, b: Record<string, number> | null): boolean {
  if (!a || !b) return !a && !b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
