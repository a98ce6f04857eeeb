import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields added to every log line written while handling one piece of work (a job, a request). */
export interface LogContext {
  incidentId?: string;
  callId?: string;
  deadlineId?: string;
  unitId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/**
 * Runs `f` with `ctx` as the log context: every pino line written inside it (also after awaits) carries
 * these fields, so lines about an incident name it (`incidentId`).
 */
export function withLogContext<T>(ctx: LogContext, f: () => T): T {
  return storage.run({ ...storage.getStore(), ...ctx }, f);
}

/** The current log context (for pino's `mixin`); empty outside any. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

/** The context fields a job payload or request carries (`incidentId`, `callId`, `deadlineId`, `unitId` when strings). */
export function logContextOf(data: unknown): LogContext {
  const ctx: LogContext = {};
  if (!data || typeof data !== 'object') return ctx;
  for (const k of ['incidentId', 'callId', 'deadlineId', 'unitId'] as const) {
    const v = (data as Record<string, unknown>)[k];
    if (typeof v === 'string') ctx[k] = v;
  }
  return ctx;
}

/** Path segments that name an incident, call or unit in an API route (`/api/incidents/<id>/...`). */
const ROUTE_IDS: [RegExp, keyof LogContext][] = [
  [/^\/api\/incidents\/([^/?#]+)/, 'incidentId'],
  [/^\/api\/calls\/([^/?#]+)/, 'callId'],
  [/^\/api\/units\/([^/?#]+)/, 'unitId'],
];

/** Express middleware: a request on one incident, call or unit logs with its id (see {@link withLogContext}). */
export function requestLogContext(req: { originalUrl?: string; url: string }, _res: unknown, next: () => void): void {
  const url = req.originalUrl ?? req.url;
  for (const [re, key] of ROUTE_IDS) {
    const m = re.exec(url);
    if (m) return withLogContext({ [key]: m[1].slice(0, 80) }, next);
  }
  next();
}
