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
   * station terms (`stations`: seconds added per home station id) and their shrink (`stationShrink`),
   * median turnout per unit type, the model's nested leave-one-day-out error (`crossValidation`, per
   * day with the fit chosen for it), the leave-one-day-out error each fit was chosen on
   * (`alternatives`), and the one-factor baseline's.
   */
  @Get()
  get(): TravelModel {
    return this.travel.model();
  }
}
