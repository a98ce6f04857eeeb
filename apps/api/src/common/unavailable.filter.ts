import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

/**
 * PostgreSQL SQLSTATEs that mean "the database cannot take this now" (class 08 and 57P0x; 53xxx out of
 * disk, memory or connections; 2200H a sequence at its end, e.g. call numbers): the caller retries, an
 * operator is needed, and it is not the request's fault.
 */
const PG_UNAVAILABLE = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03', '53100', '53200', '53300', '2200H']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'ECONNREFUSED',
  'ECONNRESET',
  'timeout exceeded when trying to connect',
  'is not currently accepting connections',
  'Connection is closed',
  'the database system is',
];

/**
 * True for errors that mean a dependency (PostgreSQL, Redis) is unreachable or restarting, as
 * opposed to a bug or bad input: connection-class SQLSTATEs, refused or reset sockets.
 */
export function isDependencyUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: string }).code ?? (err as { driverError?: { code?: string } }).driverError?.code;
  if (code && (PG_UNAVAILABLE.has(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET')) return true;
  return UNAVAILABLE_MESSAGES.some((m) => err.message.includes(m));
}

/**
 * Last-resort filter: a request that failed because PostgreSQL or Redis is down answers `503` with
 * `Retry-After`, so clients retry instead of treating it as a bug; a client error raised before
 * routing (body too large, malformed JSON) answers its own 4xx without a logged stack; everything
 * else keeps Nest's default handling (HttpExceptions as they are, other errors `500`).
 */
@Catch()
export class UnavailableFilter extends BaseExceptionFilter {
  override catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() === 'http' && !(err instanceof HttpException) && isDependencyUnavailable(err)) {
      const res = host.switchToHttp().getResponse<Response>();
      res.setHeader('Retry-After', '2');
      res.status(503).json({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: `a dependency is unavailable: ${(err as Error).message}` });
      return;
    }
    // Body-parser errors (413 too large, 400 bad JSON) are the client's: answer them, do not log a stack.
    const status = (err as { status?: number; expose?: boolean }).status;
    if (host.getType() === 'http' && !(err instanceof HttpException) && (err as { expose?: boolean }).expose && status && status >= 400 && status < 500) {
      host.switchToHttp().getResponse<Response>().status(status).json({ statusCode: status, message: (err as Error).message });
      return;
    }
    super.catch(err, host);
  }
}
