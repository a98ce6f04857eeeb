/** Base of domain errors: a code that the exception filter maps to an HTTP status. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
}

/** Something asked for does not exist (404). */
export class NotFound extends DomainError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
  constructor(what: string, id: string) {
    super(`${what} ${id} not found`);
  }
}

/** A state change is not allowed from the current state (409), naming that state. */
export class StateConflict extends DomainError {
  readonly code = 'STATE_CONFLICT';
  readonly status = 409;
  constructor(message: string, readonly current?: unknown) {
    super(message);
  }
}

/** A dependency (Postgres, Redis) is not answering (503). */
export class ServiceUnavailable extends DomainError {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = 503;
}

/** A call's position is too far outside every jurisdiction to be served (422). */
export class OutsideJurisdiction extends DomainError {
  readonly code = 'OUTSIDE_JURISDICTION';
  readonly status = 422;
}
