import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/config';
import { DomainError } from '../common/errors';

/** `429`: a resident's reports came too fast from one device or one address; `field` names which limit. */
export class TooManyReports extends DomainError {
  readonly code = 'TOO_MANY_REPORTS';
  readonly status = 429;
}

/**
 * The abuse limits of residents' reports: at most `PUBLIC_REPORTS_PER_DEVICE` per device id and
 * `PUBLIC_REPORTS_PER_ADDRESS` per client address in each fixed window of `PUBLIC_REPORT_WINDOW_S`.
 * Both apply together: one device cannot flood, a script rotating device ids is held by its address,
 * and residents behind one carrier address (CGNAT) each keep their own device budget under the far
 * higher address limit. Counted in Redis (shared by API nodes) on a connection of its own; while Redis
 * is down they are counted in this process, so the public page never depends on the job queue.
 */
@Injectable()
export class PublicReportLimiter implements OnApplicationShutdown {
  private readonly log = new Logger('PublicReports');
  private readonly redis: IORedis;
  private readonly local = new Map<string, { n: number; until: number }>();

  constructor(private readonly config: AppConfig) {
    this.redis = new IORedis(config.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.redis.on('error', (e) => this.log.debug(`redis: ${e.message}`));
    this.redis.connect().catch(() => undefined);
  }

  /** A stable, non-reversible key for a device id (the record never keeps the id itself). */
  static deviceHash(deviceId: string): string {
    return createHash('sha256').update(deviceId).digest('hex').slice(0, 64);
  }

  /**
   * Counts one report against both limits, device first.
   * @throws TooManyReports (429) naming `deviceId` or the client address, with the seconds to wait
   */
  async take(deviceHash: string, address: string): Promise<void> {
    const w = this.config.PUBLIC_REPORT_WINDOW_S;
    const device = await this.count(`device:${deviceHash}`, w);
    if (device > this.config.PUBLIC_REPORTS_PER_DEVICE) {
      throw new TooManyReports(`deviceId: at most ${this.config.PUBLIC_REPORTS_PER_DEVICE} reports per ${w} s from one device; for an emergency call the emergency number`);
    }
    const addr = await this.count(`address:${address}`, w);
    if (addr > this.config.PUBLIC_REPORTS_PER_ADDRESS) {
      throw new TooManyReports(`address: at most ${this.config.PUBLIC_REPORTS_PER_ADDRESS} reports per ${w} s from one network address; for an emergency call the emergency number`);
    }
  }

  private async count(key: string, windowS: number): Promise<number> {
    const k = `${this.config.REDIS_PREFIX}:public-report:${key}:${Math.floor(Date.now() / 1000 / windowS)}`;
    if (this.redis.status === 'ready') {
      try {
        const [[, n]] = (await this.redis.multi().incr(k).expire(k, windowS + 1).exec()) as [[Error | null, number]];
        return n;
      } catch {
        // Fall through to the process's own count.
      }
    }
    const now = Date.now();
    const e = this.local.get(k);
    if (!e || e.until < now) {
      if (this.local.size > 100_000) this.local.clear();
      this.local.set(k, { n: 1, until: now + windowS * 1000 });
      return 1;
    }
    return ++e.n;
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
