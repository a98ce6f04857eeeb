import pino, { Logger, LoggerOptions } from 'pino';
import { currentLogContext } from './log-context';

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
 * A CLI's logger: pino JSON on stderr, so stdout keeps the CLI's human output (results, file paths).
 * @param role the CLI's name (`drill`, `import`)
 */
export function cliLogger(role: string, level = 'info'): Logger {
  return pino(pinoOptions(level, role), pino.destination(2));
}
