import pino, { Logger, LoggerOptions } from 'pino';
import { currentLogContext } from './log-context';

/** Which program a process runs: the API, a worker, or a CLI. */
export type ProcessRole = 'api' | 'worker' | 'drill';

/**
 * pino options shared by the API, the worker and the CLIs: JSON lines, ISO 8601 UTC time, the process
 * role (`api`, `worker`, `drill`) and the current log context (`incidentId`, `callId`... of the job or
 * request being handled, see `withLogContext`).
 * @param level pino level (`LOG_LEVEL`)
 */
export function pinoOptions(level: string, role: string): LoggerOptions {
  return { level, base: { role, pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, mixin: () => ({ ...currentLogContext() }) };
}

/**
 * A process's own logger (outside Nest's): pino JSON lines, on stdout for the API and the worker, on
 * stderr for a CLI (`fd` 2) so that its stdout keeps the CLI's human output (results, file paths).
 * @param role `api`, `worker`, `drill`...
 */
export function processLogger(role: string, level = 'info', fd: 1 | 2 = 1): Logger {
  return pino(pinoOptions(level, role), pino.destination({ fd, sync: true }));
}

/** Nest's start-up contexts whose `log` lines (one per route, per module) go to debug level. */
export const STARTUP_NOISE_CONTEXTS: ReadonlySet<string> = new Set(['RouterExplorer', 'RoutesResolver', 'InstanceLoader']);

/** The part of Nest's `LoggerService` the quiet logger wraps. */
interface NestLogger {
  log(message: unknown, ...rest: unknown[]): void;
  error(message: unknown, ...rest: unknown[]): void;
  warn(message: unknown, ...rest: unknown[]): void;
  debug?(message: unknown, ...rest: unknown[]): void;
  verbose?(message: unknown, ...rest: unknown[]): void;
  fatal?(message: unknown, ...rest: unknown[]): void;
}

/**
 * Nest's application logger with start-up noise at debug level: the ~300 "Mapped {/api/..., GET}
 * route" lines and the "... dependencies initialized" lines (contexts in {@link STARTUP_NOISE_CONTEXTS},
 * the last argument of a Nest log call) are logged with `debug`, so the "City CAD is up" banner stands
 * out at the default `info` level; `LOG_LEVEL=debug` shows them again. Everything else passes through.
 */
export function quietStartupLogger<L extends NestLogger>(inner: L): NestLogger {
  const noisy = (rest: unknown[]) => rest.length > 0 && typeof rest[rest.length - 1] === 'string' && STARTUP_NOISE_CONTEXTS.has(rest[rest.length - 1] as string);
  return {
    log: (message, ...rest) => (noisy(rest) && inner.debug ? inner.debug(message, ...rest) : inner.log(message, ...rest)),
    error: (message, ...rest) => inner.error(message, ...rest),
    warn: (message, ...rest) => inner.warn(message, ...rest),
    debug: (message, ...rest) => inner.debug?.(message, ...rest),
    verbose: (message, ...rest) => inner.verbose?.(message, ...rest),
    fatal: (message, ...rest) => (inner.fatal ? inner.fatal(message, ...rest) : inner.error(message, ...rest)),
  };
}
