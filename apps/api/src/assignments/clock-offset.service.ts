import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import type { Principal } from '../auth/principal';
import { AccessService } from '../auth/access.service';

/** Header a device sends with its own clock's time of sending (ISO-8601 or epoch milliseconds). */
export const DEVICE_TIME_HEADER = 'x-device-time';
/** Header naming the device (else the signed-in account is the device). */
export const DEVICE_ID_HEADER = 'x-device-id';

/**
 * A raw sample this far from the estimate (ms) is a clock step (the phone's clock was set), not
 * network delay: it replaces the estimate once a second sample agrees with it within this margin.
 */
const STEP_MS = 10_000;
/** Exponential smoothing factor of small samples (network delay jitter). */
const ALPHA = 0.25;
/**
 * An estimate within this of zero (ms) is taken as zero: the sample is the clock's offset minus the
 * request's delay on the network and in the server's queue, so a phone whose clock is right (NTP)
 * measures a few hundred ms "slow"; correcting by that would move its exact stamps.
 */
const DEAD_BAND_MS = 2_000;

/** A device's clock as the server sees it. */
export interface DeviceClock {
  /** The signed-in account whose requests measured it. */
  account: string;
  /** The unit that account crews (a responder's phone); null for a console's account. */
  unitId: string | null;
  /** The device id the requests named (`X-Device-Id`, else the account): the account's word, not proof. */
  deviceId: string;
  /** Device clock minus server clock, seconds (positive: the device runs fast). */
  offsetS: number;
  /** True when |offset| exceeds `CLOCK_SKEW_WARN_S`: shown as clock skew on the console. */
  skewed: boolean;
  samples: number;
  updatedAt: string;
}

/** The device a request comes from: `X-Device-Id`, else the signed-in username (a responder account is its unit, `e38`). */
export function deviceIdOf(req: Request): string | null {
  const header = req.headers[DEVICE_ID_HEADER];
  const id = typeof header === 'string' && /^[\w.:@-]{1,80}$/.test(header) ? header : (req as Request & { user?: Principal }).user?.username;
  return id ? id.toLowerCase() : null;
}

/**
 * The key a device's clock offset is kept under: `<account>/<device>` (lower case), so a device id
 * sent by one account never names another account's clock. `null` without a signed-in account.
 */
export function deviceKeyOf(req: Request): string | null {
  const account = (req as Request & { user?: Principal }).user?.username;
  const device = deviceIdOf(req);
  return account && device ? `${account.toLowerCase()}/${device}` : null;
}

/** The device part of a key from {@link deviceKeyOf} (a device id has no `/`); the key itself when it has none. */
export function deviceOfKey(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** Splits a key from {@link deviceKeyOf} into account and device; an account-less key is its own account's device. */
function splitKey(key: string): { account: string; device: string } {
  const k = key.toLowerCase();
  const cut = k.lastIndexOf('/');
  return cut < 0 ? { account: k, device: k } : { account: k.slice(0, cut), device: k.slice(cut + 1) };
}

/**
 * Route parameter: the requesting device's key, `<account>/<device>` (see {@link deviceKeyOf}), to
 * pass to {@link ClockOffsetService} and `AvlService.record`; `anonymous/anonymous` when none.
 */
export const DeviceId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => deviceKeyOf(ctx.switchToHttp().getRequest()) ?? 'anonymous/anonymous');

/**
 * One clock offset per account and device (keys from {@link deviceKeyOf}), estimated from its requests: each request carrying `X-Device-Time`
 * gives a sample `deviceSendTime − serverReceiveTime` (the true offset minus the network delay). The
 * estimate follows small samples by exponential smoothing (factor 0.25) and jumps to a new value only
 * when two samples in a row agree on it and lie more than 10 s from the estimate (the phone's clock
 * was set), so one delayed request does not move it. A device's first sample is taken as it is; an
 * estimate within ±2 s is applied as zero (what a right clock measures, given network delay).
 * Kept in Postgres (`device_clock`), so every API process and the outage rules read the same offset.
 * Stamps a device sends (status reports, AVL fixes, outbox entries) are corrected with
 * {@link correctedTime}.
 */
@Injectable()
export class ClockOffsetService {
  constructor(
    private readonly ds: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Records one sample of a device's clock.
   * @param deviceKey `<account>/<device>` ({@link deviceKeyOf})
   * @param sentAt the device's time of sending (its `X-Device-Time`)
   * @param receivedAt the server's time of receipt
   * @returns the new estimate, milliseconds (device minus server)
   */
  async observe(deviceKey: string, sentAt: Date, receivedAt: Date): Promise<number> {
    const { account, device } = splitKey(deviceKey);
    const sample = sentAt.getTime() - receivedAt.getTime();
    const [row]: { offset_ms: number }[] = await this.ds.query(
      `INSERT INTO device_clock (account, device_id, offset_ms, last_sample_ms, samples, updated_at) VALUES ($6, $1, $2, $2, 1, $3)
       ON CONFLICT (account, device_id) DO UPDATE SET
         offset_ms = CASE
           WHEN abs(EXCLUDED.offset_ms - device_clock.offset_ms) <= $4 THEN device_clock.offset_ms + $5 * (EXCLUDED.offset_ms - device_clock.offset_ms)
           WHEN abs(EXCLUDED.offset_ms - device_clock.last_sample_ms) <= $4 THEN EXCLUDED.offset_ms
           ELSE device_clock.offset_ms END,
         last_sample_ms = EXCLUDED.offset_ms, samples = device_clock.samples + 1, updated_at = EXCLUDED.updated_at
       RETURNING offset_ms`,
      [device, sample, receivedAt, STEP_MS, ALPHA, account],
    );
    return row.offset_ms;
  }

  /**
   * A device's estimated offset as measured from its account's requests (`deviceKey`: `<account>/<device>`), milliseconds (device minus server); 0 for a device never measured
   * and for an estimate within ±2 s (network delay, not the clock).
   */
  async offsetMs(deviceKey: string): Promise<number> {
    const { account, device } = splitKey(deviceKey);
    const [row]: { offset_ms: number }[] = await this.ds.query(`SELECT offset_ms FROM device_clock WHERE account = $1 AND device_id = $2`, [account, device]);
    const offset = row?.offset_ms ?? 0;
    return Math.abs(offset) < DEAD_BAND_MS ? 0 : offset;
  }

  /**
   * A time stamped by a device, on the server's clock: `deviceStamp − offset`. A device never
   * measured is taken as right.
   *
   * With `futureToleranceMs` (the caller's limit for "in the future"): a stamp that the learned offset
   * alone would put in the future while the raw stamp lies within that tolerance of the server clock is
   * a clock that was just set right (a phone 1 h slow, fixed; its first right request cannot move the
   * estimate, see {@link observe}): it is taken at its raw time and the offset is re-learned at once
   * (the request's own `X-Device-Time` sample when it agrees within 10 s, else `deviceStamp − now`),
   * never refused. A clock that really is off (its raw stamp far from the server clock) is corrected
   * as always.
   * @param deviceStamp a time as the device's clock gave it
   * @param opts `now` the server's time of receipt (default: now); `futureToleranceMs` as above, milliseconds
   */
  async correctedTime(deviceKey: string, deviceStamp: Date, opts: { now?: Date; futureToleranceMs?: number } = {}): Promise<Date> {
    const offset = await this.offsetMs(deviceKey);
    const corrected = new Date(deviceStamp.getTime() - offset);
    if (opts.futureToleranceMs === undefined) return corrected;
    const now = (opts.now ?? new Date()).getTime();
    const raw = deviceStamp.getTime() - now;
    if (corrected.getTime() <= now + opts.futureToleranceMs || Math.abs(raw) > opts.futureToleranceMs) return corrected;
    await this.relearn(deviceKey, raw, new Date(now));
    return deviceStamp;
  }

  /**
   * Replaces a device's estimate with `sampleMs` (device minus server, ms), or with its last recorded
   * sample when that agrees within 10 s (the same request's `X-Device-Time`, free of the tap-to-send delay).
   */
  private async relearn(deviceKey: string, sampleMs: number, at: Date): Promise<void> {
    const { account, device } = splitKey(deviceKey);
    await this.ds.query(
      `UPDATE device_clock SET
         offset_ms = CASE WHEN abs(last_sample_ms - $3) <= $4 THEN last_sample_ms ELSE $3 END,
         last_sample_ms = CASE WHEN abs(last_sample_ms - $3) <= $4 THEN last_sample_ms ELSE $3 END,
         updated_at = $5
       WHERE account = $1 AND device_id = $2`,
      [account, device, Math.round(sampleMs), STEP_MS, at],
    );
  }

  /** The device's clock reading at a server time: `serverTime + offset` (for a report the device sent unstamped). */
  async deviceTime(deviceKey: string, serverTime: Date): Promise<Date> {
    return new Date(serverTime.getTime() + (await this.offsetMs(deviceKey)));
  }

  /**
   * Every measured device, most skewed first, with `skewed` set past `CLOCK_SKEW_WARN_S`: one row per
   * account and device (names compared in lower case, as keys are written), the latest measured when
   * the table holds more than one (rows written before keys were lower-cased); each with the account's
   * unit (null for a console's account). With `visible`, only the devices it answers true for (a district
   * or street post sees its own units' devices).
   */
  async list(visible?: (d: { unitId: string | null; homeStreetId: string | null }) => boolean): Promise<DeviceClock[]> {
    const rows: { account: string; device_id: string; offset_ms: number; samples: number; updated_at: Date; unit_id: string | null; home_street_id: string | null }[] = await this.ds.query(
      `SELECT latest.*, u.unit_id, un.home_street_id FROM (
         SELECT DISTINCT ON (lower(account), lower(device_id)) lower(account) AS account, lower(device_id) AS device_id, offset_ms, samples, updated_at
           FROM device_clock ORDER BY lower(account), lower(device_id), updated_at DESC
       ) latest
       LEFT JOIN app_user u ON lower(u.username) = latest.account
       LEFT JOIN unit un ON un.world = 'live' AND un.id = u.unit_id
       ORDER BY abs(latest.offset_ms) DESC, latest.device_id, latest.account`,
    );
    return rows
      .filter((r) => !visible || visible({ unitId: r.unit_id, homeStreetId: r.home_street_id }))
      .map((r) => ({
      account: r.account,
      unitId: r.unit_id,
      deviceId: r.device_id,
      offsetS: Math.round(r.offset_ms / 100) / 10,
      skewed: Math.abs(r.offset_ms) > this.config.CLOCK_SKEW_WARN_S * 1000,
      samples: r.samples,
      updatedAt: r.updated_at.toISOString(),
    }));
  }
}

/**
 * Feeds {@link ClockOffsetService} from every signed-in request carrying `X-Device-Time`, before
 * its handler runs (so the handler corrects its stamps with this very sample). A header that is not
 * a time is ignored, and so is a sample that cannot be recorded (the request itself goes on).
 * Only an account that may act for a unit teaches a clock: an observer's requests never do, and a
 * device named after a unit (`gator2`, a unit's phone) is learned only from the unit's responder or a
 * dispatcher whose jurisdiction holds it. The offset is kept under the account's own key either way.
 *
 * A guard that never refuses, registered after the authentication guard (so the account is known and a
 * refused request teaches nothing), not an interceptor: with no global interceptor Nest runs no
 * interceptor chain per request, whose async-resource binding and observables cost about a tenth of a
 * request's CPU on the accept path (issue 19's profile of the API).
 */
@Injectable()
export class DeviceClockGuard implements CanActivate {
  private readonly log = new Logger('DeviceClock');

  constructor(
    private readonly clocks: ClockOffsetService,
    private readonly access: AccessService,
  ) {}

  /** @returns true always (after recording the request's clock sample, when it carries one) */
  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() === 'http') {
      const req = ctx.switchToHttp().getRequest<Request & { user?: Principal }>();
      const raw = req.headers[DEVICE_TIME_HEADER];
      const key = deviceKeyOf(req);
      if (typeof raw === 'string' && key && req.user) {
        const sent = /^\d{10,}$/.test(raw) ? new Date(Number(raw)) : new Date(raw);
        // Best effort: a record that cannot be written (Postgres away) must not turn the request into a 500.
        if (Number.isFinite(sent.getTime())) {
          await this.learn(req, req.user, key, sent).catch((e: Error) => this.log.debug(`clock of ${key} not observed: ${e.message}`));
        }
      }
    }
    return true;
  }

  private async learn(req: Request, user: Principal, key: string, sent: Date): Promise<void> {
    const receivedAt = new Date();
    if (!(await this.access.maySpeakForDevice(user, deviceOfKey(key), req))) return;
    await this.clocks.observe(key, sent, receivedAt);
  }
}
