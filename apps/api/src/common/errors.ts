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

/**
 * A typed address could not be placed (404), with the reason in the message, the reason coded
 * (`miss`: `{code, params}` for a client to word in its language) and scored candidates (none chosen).
 */
export class AddressNotFound extends DomainError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
  constructor(
    message: string,
    readonly candidates: unknown[] = [],
    readonly miss?: { code: string; params: Record<string, string | number> },
  ) {
    super(message);
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
  /** @param distanceMetres how far outside, metres, when a client is to word it in its own language (sent as `distanceMetres`) */
  constructor(
    message: string,
    readonly distanceMetres?: number,
  ) {
    super(message);
  }
}

/** No valid sign-in token (401). */
export class Unauthorized extends DomainError {
  readonly code = 'UNAUTHORIZED';
  readonly status = 401;
}

/** Signed in, but the post does not cover this (403): another jurisdiction, another unit, or a read-only role. */
export class Forbidden extends DomainError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
}

/** Input that passed the field checks but makes no sense as a whole (400), naming the fields. */
export class InvalidInput extends DomainError {
  readonly code = 'INVALID_INPUT';
  readonly status = 400;
}

/**
 * Too many requests from one address (or account) on a rate-limited route (429, code `RATE_LIMITED`):
 * `retryAfterSeconds` is also sent as the `Retry-After` header.
 */
export class RateLimited extends DomainError {
  readonly code = 'RATE_LIMITED';
  readonly status = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}
