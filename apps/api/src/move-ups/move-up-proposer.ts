import { MoveUpPolicy, MoveUpView } from '@cad/domain';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntitySubscriberInterface, InsertEvent } from 'typeorm';
import { IncidentEvent } from '@cad/db';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { CoverageService } from '../coverage/coverage.service';
import { MoveUpsService } from './move-ups.service';

/** A dispatch (an `assignment.created` event) sweeps this long after it, so the round has committed, ms. */
const AFTER_DISPATCH_MS = 5000;
/** At most one sweep brought on by dispatches per this long (a surge dispatches continuously), ms. */
const DISPATCH_SWEEP_EVERY_MS = 15000;

/**
 * Who proposes moves under MOVE_UP_MODE=apply: the worker. In processes that run workers (live world) it
 * sweeps every MOVE_UP_SWEEP_S, and a few seconds after units are dispatched (the gap a dispatch round
 * leaves; at most one such sweep per 15 s): it lets the dispatchers' confirm timeouts run out (`tick`) and
 * proposes the coverage solver's recommended moves (best first, at most three) that pass the policy:
 * each one is proposed only when `checkMoveUp` allows it, so a sweep after the fleet is drawn down
 * proposes moves, and a sweep with nothing to gain proposes none. Under `recommend` it never proposes.
 * A drill calls {@link sweep} itself with its world and simulated time.
 */
@Injectable()
export class MoveUpProposer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('MoveUpProposer');
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private soon: NodeJS.Timeout | null = null;
  private lastNudgedMs = 0;
  private stopped = false;

  constructor(
    private readonly moves: MoveUpsService,
    private readonly coverage: CoverageService,
    private readonly ds: DataSource,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_WORKERS || this.config.MOVE_UP_MODE !== 'apply' || this.config.MOVE_UP_SWEEP_S === 0) return;
    this.timer = setInterval(() => void this.sweepQuietly(), this.config.MOVE_UP_SWEEP_S * 1000);
    this.timer.unref();
    this.ds.subscribers.push(new DispatchWatcher(() => this.afterDispatch()));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
  }

  /** A unit was dispatched: sweep a few seconds on (once per {@link DISPATCH_SWEEP_EVERY_MS}). */
  private afterDispatch(): void {
    if (this.stopped || this.soon || Date.now() - this.lastNudgedMs < DISPATCH_SWEEP_EVERY_MS) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.lastNudgedMs = Date.now();
      void this.sweepQuietly();
    }, AFTER_DISPATCH_MS);
    this.soon.unref();
  }

  /**
   * One sweep of `world` at `at` (simulated time in a drill): confirm timeouts, then proposals.
   * @param policy the city's by default; a drill comparing policies passes its own (`mode: 'apply'`)
   * @returns the moves whose dispatcher timeout ran out, and the moves proposed
   */
  async sweep(world: string, at: Date, policy: MoveUpPolicy = this.moves.policy()): Promise<{ timedOut: MoveUpView[]; proposed: MoveUpView[] }> {
    const timedOut = await this.moves.tick(world, at);
    return { timedOut, proposed: await this.proposeRecommended(world, at, 'system:move-ups', policy) };
  }

  /**
   * Proposes, in the solver's order, each recommended move of `world` (city-wide coverage) that the
   * policy allows at `at`; a move the policy refuses (or whose unit already has an open move) is
   * skipped. None under `recommend`.
   */
  async proposeRecommended(world: string, at: Date, actor = 'system:move-ups', policy: MoveUpPolicy = this.moves.policy()): Promise<MoveUpView[]> {
    if (policy.mode !== 'apply') return [];
    const report = await this.coverage.report(undefined, world);
    const out: MoveUpView[] = [];
    for (const m of report.moveUps) {
      try {
        out.push(await this.moves.propose(world, m.unitId, m.toStationId, at, actor, policy));
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        this.log.debug(`move-up of ${m.unitId} to ${m.toStationId} not proposed: ${e.message}`);
      }
    }
    return out;
  }

  private async sweepQuietly(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweep('live', new Date());
    } catch (e) {
      this.log.warn(`move-up sweep failed: ${(e as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}

/** Calls `onDispatch` for every `assignment.created` event appended (a unit dispatched, in any world). */
class DispatchWatcher implements EntitySubscriberInterface<IncidentEvent> {
  constructor(private readonly onDispatch: () => void) {}

  listenTo() {
    return IncidentEvent;
  }

  afterInsert(e: InsertEvent<IncidentEvent>): void {
    if ((e.entity as Partial<IncidentEvent>).type === 'assignment.created') this.onDispatch();
  }
}
