import { MoveUpView } from '@cad/domain';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DomainError } from '../common/errors';
import { AppConfig } from '../config/config';
import { CoverageService } from '../coverage/coverage.service';
import { MoveUpsService } from './move-ups.service';

/**
 * Who proposes moves under MOVE_UP_MODE=apply: the worker. Every MOVE_UP_SWEEP_S (in processes that run
 * workers, live world) it lets the dispatchers' confirm timeouts run out (`tick`) and proposes the
 * coverage solver's recommended moves (best first, at most three) that pass the policy: each one is
 * proposed only when `checkMoveUp` allows it, so a sweep after the fleet is drawn down by dispatch (a gap)
 * proposes moves, and a sweep with nothing to gain proposes none. Under `recommend` it never proposes.
 * A drill calls {@link sweep} itself with its world and simulated time.
 */
@Injectable()
export class MoveUpProposer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('MoveUpProposer');
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly moves: MoveUpsService,
    private readonly coverage: CoverageService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_WORKERS || this.config.MOVE_UP_MODE !== 'apply') return;
    this.timer = setInterval(() => void this.sweepQuietly(), this.config.MOVE_UP_SWEEP_S * 1000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /**
   * One sweep of `world` at `at` (simulated time in a drill): confirm timeouts, then proposals.
   * @returns the moves whose dispatcher timeout ran out, and the moves proposed
   */
  async sweep(world: string, at: Date): Promise<{ timedOut: MoveUpView[]; proposed: MoveUpView[] }> {
    const timedOut = await this.moves.tick(world, at);
    return { timedOut, proposed: await this.proposeRecommended(world, at) };
  }

  /**
   * Proposes, in the solver's order, each recommended move of `world` (city-wide coverage) that the
   * policy allows at `at`; a move the policy refuses (or whose unit already has an open move) is
   * skipped. None under `recommend`.
   */
  async proposeRecommended(world: string, at: Date, actor = 'system:move-ups'): Promise<MoveUpView[]> {
    if (this.moves.policy().mode !== 'apply') return [];
    const report = await this.coverage.report(undefined, world);
    const out: MoveUpView[] = [];
    for (const m of report.moveUps) {
      try {
        out.push(await this.moves.propose(world, m.unitId, m.toStationId, at, actor));
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
