import { Controller, Get } from '@nestjs/common';
import { OutagesService } from './outages.service';

/** Times CAD was unreachable, as its processes' heartbeats show them. */
@Controller()
export class OutagesController {
  constructor(private readonly outages: OutagesService) {}

  /** `GET /api/outages`: recorded outages, newest first: `[{id, startedAt, endedAt (null while it lasts), seconds, detectedAt, detectedBy, planned}]` (`planned`: every API process up had been stopped on purpose). */
  @Get('outages')
  list() {
    return this.outages.list();
  }
}
