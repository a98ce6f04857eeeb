import { Injectable } from '@nestjs/common';

/** One stage reported as degraded: still working, but slower or behind (readiness stays `200`). */
export interface DegradedStage {
  /** The stage, e.g. `intake`, `dispatch`, `event-relay`. */
  stage: string;
  /** Why, in words a supervisor can act on (e.g. `relay held back 40 s at seq 1234`). */
  reason: string;
  /** When it was first reported in this spell (ISO 8601, UTC). */
  since: string;
}

/** A probe asked on every readiness check: answers the reason its stage is degraded, or null when it is fine. */
export type DegradedProbe = () => string | null | Promise<string | null>;

/**
 * Extension point of readiness for "degraded" stages (issue 13). Any provider may inject it and either
 * `report(stage, reason)` / `clear(stage)` as its state changes (e.g. an intake-stall detector), or
 * `register(stage, probe)` a function asked on every `GET /api/health/ready`. A degraded stage keeps
 * readiness at `200` (a load balancer keeps sending calls) with `status: 'degraded'` and the stage named;
 * only a dependency down (Postgres, Redis) makes it `503`. State is per process.
 */
@Injectable()
export class DegradedRegistry {
  private readonly reported = new Map<string, { reason: string; since: Date; until: number | null }>();
  private readonly probes = new Map<string, DegradedProbe>();

  /**
   * Marks `stage` degraded for `reason`. Reporting again updates the reason and keeps `since`.
   * @param ttlSeconds when given, the report lapses after this many seconds unless reported again (a
   *   detector that dies cannot leave readiness degraded forever)
   */
  report(stage: string, reason: string, ttlSeconds?: number): void {
    const prev = this.reported.get(stage);
    this.reported.set(stage, { reason, since: prev?.since ?? new Date(), until: ttlSeconds ? Date.now() + ttlSeconds * 1000 : null });
  }

  /** The stage is fine again. */
  clear(stage: string): void {
    this.reported.delete(stage);
  }

  /** Registers a probe for `stage`, replacing any earlier one; asked on every readiness check. */
  register(stage: string, probe: DegradedProbe): void {
    this.probes.set(stage, probe);
  }

  /** Every stage degraded now (reported and unexpired, or whose probe answers a reason), by stage name. */
  async current(): Promise<DegradedStage[]> {
    const now = Date.now();
    const out: DegradedStage[] = [];
    for (const [stage, r] of this.reported) {
      if (r.until !== null && r.until < now) this.reported.delete(stage);
      else out.push({ stage, reason: r.reason, since: r.since.toISOString() });
    }
    for (const [stage, probe] of this.probes) {
      const reason = await Promise.resolve()
        .then(probe)
        .catch((e: Error) => `probe failed: ${e.message}`);
      if (reason && !this.reported.has(stage)) out.push({ stage, reason, since: new Date(now).toISOString() });
    }
    return out.sort((a, b) => a.stage.localeCompare(b.stage));
  }
}
