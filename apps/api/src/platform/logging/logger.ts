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
