import { Controller, Get, Res } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/principal';
import { QueuesService, withTimeout } from '../../queues/queues.service';
import { DegradedRegistry, DegradedStage } from './degraded.registry';
import { IntakeStall, IntakeStallService } from '../../events/intake-stall.service';
import { PostgresProbe } from './postgres-probe';
import { sharedInFlight } from '../../common/shared-in-flight';

/** How long a dependency may take to answer a readiness check before it counts as down, ms. */
export const DEPENDENCY_TIMEOUT_MS = 1000;

/** Readiness body (`GET /api/health`, `/api/health/ready`). */
export interface ReadinessBody {
  /** `ok`: all up; `degraded`: all dependencies up, some stage behind (still 200); `unavailable`: a dependency down (503). */
  status: 'ok' | 'degraded' | 'unavailable';
  postgres: 'up' | 'down';
  redis: 'up' | 'down';
  /** The dependencies down, by name (`postgres`, `redis`). */
  down: string[];
  /** The stages degraded, with why. */
  degraded: DegradedStage[];
  /** Stalled stages of live intake (issue 14), oldest age and count waiting. */
  stalls: IntakeStall[];
  /** Terminus' own result per dependency (`{ postgres: { status, message?, pool: {total, idle, waiting} }, redis: ... }`: the application pool's occupancy beside PostgreSQL's answer on readiness' own connection). */
  details: HealthIndicatorResult;
}

/**
 * Liveness and readiness, with `@nestjs/terminus` indicators for each dependency. Public (load balancers
 * and orchestrators call them without a token).
 */
@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly postgres: PostgresProbe,
    private readonly queues: QueuesService,
    private readonly degradedStages: DegradedRegistry,
    private readonly stall: IntakeStallService,
  ) {}

  /** The intake-stall check, shared by the readiness requests made while one runs. */
  private readonly stallCheck = sharedInFlight(() => this.stall.stalls());

  /** `GET /api/health/live`: the process is up (no dependency checked). */
  @Public()
  @Get('live')
  @ApiOkResponse({ description: 'the process answers: `{status: "ok"}`' })
  live() {
    return { status: 'ok' };
  }

  /**
   * `GET /api/health` and `/api/health/ready`: readiness. `200` with `status: 'ok'`, or `'degraded'` naming
   * the stages behind (see {@link DegradedRegistry}); `503` with `status: 'unavailable'` and `down` naming
   * the dependency (Postgres, Redis) that did not answer within {@link DEPENDENCY_TIMEOUT_MS}.
   */
  @Public()
  @Get(['', 'ready'])
  @ApiOkResponse({ description: 'ready: `{status: "ok"|"degraded", postgres: "up", redis: "up", down: [], degraded: [{stage, reason, since}], details}`' })
  @ApiServiceUnavailableResponse({ description: 'a dependency is down: `{status: "unavailable", postgres, redis, down: ["redis"], degraded, details}`' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessBody> {
    const probe = async (key: 'postgres' | 'redis', f: () => Promise<unknown>, extra: () => Record<string, unknown> = () => ({})) => {
      const session = this.indicator.check(key);
      try {
        await withTimeout(f(), DEPENDENCY_TIMEOUT_MS, `${key} did not answer`);
        return session.up(extra());
      } catch (e) {
        return session.down({ message: (e as Error).message, ...extra() });
      }
    };
    // PostgreSQL on readiness' own connection (a busy pool is not an unreachable database); the pool's occupancy beside it.
    const pool = () => {
      const p = this.postgres.pool();
      return p ? { pool: p } : {};
    };
    const [result, degraded] = await Promise.all([
      this.health
        .check([() => probe('postgres', () => this.postgres.ping(DEPENDENCY_TIMEOUT_MS), pool), () => probe('redis', () => this.queues.ping(DEPENDENCY_TIMEOUT_MS))])
        .catch((e: { getResponse?: () => { details?: HealthIndicatorResult } }) => ({ details: e.getResponse?.()?.details ?? {} })),
      this.degradedStages.current(),
    ]);
    const details = result.details as HealthIndicatorResult;
    const state = (k: string) => (details[k]?.status === 'up' ? ('up' as const) : ('down' as const));
    const down = ['postgres', 'redis'].filter((k) => state(k) === 'down');
    if (down.length) res.status(503);
    // The intake-stall alarm (issue 14): stages of live intake older than INTAKE_STALL_S, with the session holding the event log.
    // Bounded like the dependencies: the check reads through the application's pool, which may be busy; one
    // check at a time (a check that outlived its bound is joined, not queued again behind the busy pool).
    const stalls =
      state('postgres') === 'up'
        ? await withTimeout(this.stallCheck(), DEPENDENCY_TIMEOUT_MS, 'the intake-stall check did not finish').catch((e: Error) => {
            degraded.push({ stage: 'intake-stall-check', reason: e.message, since: new Date().toISOString() });
            return [];
          })
        : [];
    for (const s of stalls) degraded.push({ stage: s.stage, reason: `oldest waiting ${Math.round(s.oldestSeconds)} s (${s.waiting} waiting)`, since: new Date(Date.now() - s.oldestSeconds * 1000).toISOString() });
    return { status: down.length ? 'unavailable' : degraded.length ? 'degraded' : 'ok', postgres: state('postgres'), redis: state('redis'), down, degraded, stalls, details };
  }
}
