import { Injectable, Logger } from '@nestjs/common';
import { circle } from '@turf/turf';
import { ClosuresService } from '../closures/closures.service';
import { DrillRun } from './drill-run';
import { SimulatedCrews } from './simulated-crews.service';

/**
 * A scenario's road closures in a drill run, on its simulated clock: each opens and lifts at its
 * scheduled instants on this drill's routing only (`ClosuresService.openForDrill`), re-routing the
 * drill's tasks that drive along it; whatever is still open when the run ends is lifted.
 */
@Injectable()
export class DrillScenarioClosures {
  private readonly log = new Logger('Drill');

  constructor(
    private readonly closures: ClosuresService,
    private readonly crews: SimulatedCrews,
  ) {}

  /**
   * Opens the run's scenario closures due at `at` and lifts those whose end is reached. An opened
   * closure is applied to this drill's routing only and re-routes the drill's tasks driving along it.
   */
  async change(run: DrillRun, at: Date): Promise<void> {
    const lift: string[] = [];
    for (const [k, c] of run.closureLog.entries()) {
      if (c.state === 'open' && c.until && Date.parse(c.until) <= at.getTime()) {
        lift.push(c.closureId!);
        Object.assign(c, { state: 'lifted', liftedAt: at.toISOString(), closureId: null });
      } else if (c.state === 'pending' && Math.max(Date.parse(c.at), run.simStart.getTime()) <= at.getTime()) {
        const s = run.scheduledClosures[k];
        const geometry = s.geometry ?? circle([s.lon, s.lat], s.radiusMetres ?? 30, { units: 'meters', steps: 24 }).geometry;
        const opened = await this.closures.openForDrill(run.id, geometry, s.note ?? 'scenario road closure', at);
        if (!opened) {
          c.state = 'closes_no_road';
          continue;
        }
        Object.assign(c, { state: 'open', openedAt: at.toISOString(), closureId: opened.id, closedEdges: opened.closedEdges, rerouted: opened.rerouted.length });
      }
    }
    if (lift.length) await this.closures.liftForDrill(run.id, at, lift);
    // Crews driving (or about to drive) a re-routed task take the new route from now.
    await this.crews.followReroutes(run, at);
  }

  /** Lifts every closure of the run still open, at the run's simulated now (when it ends); never throws. */
  async liftAll(run: DrillRun): Promise<void> {
    await this.closures.liftForDrill(run.id, run.simNow).catch((e: Error) => this.log.warn(`drill ${run.id}: closures not lifted: ${e.message}`));
    for (const c of run.closureLog) if (c.state === 'open') Object.assign(c, { state: 'lifted', liftedAt: run.simNow.toISOString(), closureId: null });
  }
}
