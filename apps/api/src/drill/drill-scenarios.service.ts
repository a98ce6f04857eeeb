import { Inject, Injectable, Logger } from '@nestjs/common';
import { loadScenario, Scenario } from '@cad/db';
import type { TravelModel, TravelSample } from '@cad/domain';
import { AppConfig } from '../config/config';
import { TravelModelService } from '../routing/travel-model.service';
import { calibrationOf, TravelCalibration } from './crews';

/** What a drill replays and how its simulated crews are calibrated: scenarios (loaded once) and the travel fit. */
@Injectable()
export class DrillScenarios {
  private readonly log = new Logger('Drill');
  private readonly scenarios = new Map<string, Scenario>();
  private readonly samples = new Map<string, Promise<TravelSample[]>>();

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly travel: TravelModelService,
  ) {}

  /**
   * Loads (once per process) a scenario by name (`db/scenarios/<name>.yaml`) or file path, in the
   * data's time zone; unreadable rows are logged and kept in its `problems`.
   * @throws Error when the scenario cannot be read
   */
  scenario(name: string): Scenario {
    let s = this.scenarios.get(name);
    if (!s) {
      s = loadScenario(name, this.config.DATA_DIR, this.config.DATA_TIME_ZONE);
      if (s.problems.length) this.log.warn(`scenario ${name}: ${s.problems.length} unreadable rows, first at line ${s.problems[0].line}: ${s.problems[0].reason}`);
      this.scenarios.set(name, s);
    }
    return s;
  }

  /**
   * The travel model and a scenario's historical fire-unit responses as it sees them (computed once per
   * process and scenario; see `TravelModelService.samplesOf`): what `CrewModel.travelRatio` draws from.
   */
  async travelResiduals(name: string): Promise<{ model: TravelModel; samples: TravelSample[] }> {
    let p = this.samples.get(name);
    if (!p) {
      p = this.travel.samplesOf(this.scenario(name).calls);
      this.samples.set(name, p);
      p.catch(() => this.samples.delete(name));
    }
    return { model: this.travel.model(), samples: await p };
  }

  /** The travel model's fit against the data's responses (nested leave-one-day-out errors, seconds; see `calibrationOf`). */
  calibration(): TravelCalibration {
    return calibrationOf(this.travel.model());
  }
}
