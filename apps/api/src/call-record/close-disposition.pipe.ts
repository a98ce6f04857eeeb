import { Inject, Injectable, PipeTransform } from '@nestjs/common';
import { InvalidInput } from '../common/errors';
import { AppConfig } from '../config/config';
import { dispositionText, parseDispositionCodes } from './dispositions';

/** The body of `POST /api/incidents/:id/close` once validated: a code and an optional note. */
interface CloseBody {
  dispositionCode?: string;
  disposition?: string;
}

/**
 * Param pipe of `POST /api/incidents/:id/close`: a disposition code from `DISPOSITION_CODES` is
 * required; the stored disposition becomes `"<CODE>"` or `"<CODE>: <note>"`.
 * @throws InvalidInput (400) naming `dispositionCode` when it is missing or not in the list
 */
@Injectable()
export class CloseDispositionPipe implements PipeTransform<CloseBody, CloseBody> {
  private readonly codes: string[];

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.codes = parseDispositionCodes(config.DISPOSITION_CODES);
  }

  transform(body: CloseBody): CloseBody {
    const d = dispositionText(this.codes, body.dispositionCode, body.disposition);
    if ('error' in d) throw new InvalidInput(d.error);
    return { ...body, disposition: d.text };
  }
}
