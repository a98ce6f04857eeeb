import { HttpException, Injectable, Logger, ValidationPipe } from '@nestjs/common';
import { ScenarioCall } from '@cad/db';
import { CallsService } from '../calls/calls.service';
import { CreateCallDto } from '../calls/dto/create-call.dto';
import { DomainError } from '../common/errors';
import { VALIDATION_OPTIONS } from '../common/validation';
import { DrillRun } from './drill-run';

/**
 * Hands a drill's calls to intake like a call taker would, as exercise calls carrying the drill's id,
 * through the calls service in this process (issue 12: the drill reaches intake through the intake
 * module's service, not over HTTP): the body `POST /api/calls` would carry is validated with the API's
 * own validation options (`VALIDATION_OPTIONS`), then accepted by `CallsService.accept` exactly as the
 * endpoint does (same checks, same idempotency by call number, same batch writer and intake job).
 * What HTTP would answer with a status other than 202 counts as refused. Under `plans: history` the body
 * carries the first alarm history sent to the call (`firstAlarm`, see `historicalFirstAlarm`).
 */
@Injectable()
export class DrillCallPoster {
  private readonly log = new Logger('Drill');
  private readonly validation = new ValidationPipe(VALIDATION_OPTIONS);

  constructor(private readonly calls: CallsService) {}

  /**
   * Accepts one scenario call of the run (call number `<drillId>:<externalId>`, received at its recorded
   * or surged instant); counts it as posted (accepted) or refused (bad input, outside every
   * jurisdiction, queue down...: logged with the status the API would have answered). Never throws for
   * a refused call.
   */
  async post(run: DrillRun, c: ScenarioCall): Promise<void> {
    // Under `plans: history` the incident gets the units history sent to this call (issue 20).
    const firstAlarm = run.firstAlarmOf(c);
    const body = {
      callNumber: run.callNumber(c.externalId),
      type: c.type,
      priority: c.priority,
      lat: c.lat,
      lon: c.lon,
      ...(c.address ? { address: c.address } : {}),
      receivedAt: c.received.toISOString(),
      source: 'drill',
      exercise: true,
      drillId: run.id,
      ...(firstAlarm ? { firstAlarm } : {}),
    };
    try {
      const dto = (await this.validation.transform(body, { type: 'body', metatype: CreateCallDto, data: '' })) as CreateCallDto;
      await this.calls.accept(dto);
      run.posted++;
    } catch (e) {
      const status = e instanceof HttpException ? e.getStatus() : e instanceof DomainError ? e.status : 500;
      const why = e instanceof HttpException ? JSON.stringify(e.getResponse()) : (e as Error).message;
      run.refused++;
      this.log.warn(`call ${c.externalId} refused: ${status} ${why}`);
    }
  }
}
