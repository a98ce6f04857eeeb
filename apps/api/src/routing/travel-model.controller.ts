import { TravelModel } from '@cad/domain';
import { Controller, Get } from '@nestjs/common';
import { TravelModelService } from './travel-model.service';

/** The travel model behind every ETA (issue 20). */
@Controller('travel-model')
export class TravelModelController {
  constructor(private readonly travel: TravelModelService) {}

  /**
   * `GET /api/travel-model`: the model in use: method, sample (responses, days, unit types, filter),
   * fitted lines (`travel = interceptS + slope × graph seconds` per response mode and unit type),
   * station terms (`stations`: seconds added per home station id), median turnout per unit type, and
   * the leave-one-day-out error of each fit tried (`alternatives`) beside the one-factor baseline's.
   */
  @Get()
  get(): TravelModel {
    return this.travel.model();
  }
}
