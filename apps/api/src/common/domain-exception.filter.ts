import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { InvalidTransition } from '@cad/domain';
import type { Response } from 'express';
import { AddressNotFound, DomainError, OutsideJurisdiction } from './errors';

/** Maps domain errors to HTTP status codes with a JSON body `{ statusCode, code, message }` (and an error's own fields: an address's `candidates` and `miss`, a place's `distanceMetres` outside the city). */
@Catch(DomainError, InvalidTransition)
export class DomainExceptionFilter implements ExceptionFilter {
  catch(err: DomainError | InvalidTransition, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = err instanceof InvalidTransition ? 409 : err.status;
    const extra =
      err instanceof AddressNotFound
        ? { candidates: err.candidates, ...(err.miss ? { miss: err.miss } : {}) }
        : err instanceof OutsideJurisdiction && err.distanceMetres !== undefined
          ? { distanceMetres: err.distanceMetres }
          : {};
    res.status(status).json({ statusCode: status, code: err.code, message: err.message, ...extra });
  }
}
export { HttpException };
