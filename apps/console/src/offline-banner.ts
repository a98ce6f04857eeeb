/**
 * The CAD OFFLINE banner: an unmistakable strip across the top of the console. It says what is true:
 * CAD OFFLINE while the API process cannot be reached (readiness refused or not the API's answer, or
 * the live socket down with no answer from the API); CAD DEGRADED naming what is down while the API
 * answers but a dependency does not (readiness `503` with `down: ["postgres"]`, or the API's own `503`
 * for a dependency). While it shows, the body carries the class `cad-offline` and the styles grey the
 * queues, ages, counts and unit states as no longer live. It is cleared at the first good answer with
 * the socket live again.
 */
import { t } from './i18n';
import type { ConnectionState } from './socket';
import { bannerElement } from './stall-banner';

/**
 * How often readiness is polled, ms (one request at a time): an API that refuses connections shows
 * within a second; one that hangs, within the timeout plus one period (5 s).
 */
const POLL_MS = 1_000;
/** A readiness request not answered in this time counts as unreachable, ms (readiness itself gives each dependency 1 s). */
const TIMEOUT_MS = 4_000;

/**
 * What a readiness poll found: `null` when nothing answered (connection refused, or a body that is not
 * the API's own, e.g. a proxy's 502 page); `{timedOut: true}` when a connection was made but no answer
 * came within the timeout; else the API's answer, its HTTP status and the dependencies it names down.
 */
export type ReadinessProbe = { status: number; down?: string[] } | { timedOut: true };

/** Readiness timeouts in a row, with the socket live, that still count as slow rather than gone (then OFFLINE: about 12 s for a hung API). */
export const SLOW_TIMEOUTS = 2;

/** The console's view of CAD: live, offline (API or socket unreachable), or degraded (a dependency down). */
export type CadState = { kind: 'live' } | { kind: 'offline' } | { kind: 'degraded'; down: string[] };

/**
 * Decides the console's state from the last readiness probe, the live socket's state and the state
 * shown before. Only the API's absence is OFFLINE:
 * - nothing answered (`null`), or a 5xx that is not the API's (a proxy's) → offline;
 * - the API answered naming dependencies down, or answered a 5xx of its own → degraded (the API is up);
 * - readiness timed out while the socket is live (or still making its first connection) → the state
 *   shown stays, for up to {@link SLOW_TIMEOUTS} timeouts in a row: the API is up (its socket says so)
 *   but slow, as when it is loaded or its database is away; a further timeout, or one with the socket
 *   reconnecting → offline;
 * - the API answered 200 but the socket is reconnecting → offline (no live feed); a socket still making
 *   its first connection does not count as down.
 * @param previous the state shown now (default live)
 * @param timeouts readiness timeouts in a row, this one included (default 1)
 */
export function cadState(probe: ReadinessProbe | null, socket: ConnectionState, previous: CadState = { kind: 'live' }, timeouts = 1): CadState {
  if (!probe) return { kind: 'offline' };
  if ('timedOut' in probe) return socket !== 'reconnecting' && timeouts <= SLOW_TIMEOUTS ? previous : { kind: 'offline' };
  if (probe.down?.length) return { kind: 'degraded', down: [...probe.down] };
  if (probe.status >= 500) return { kind: 'degraded', down: ['dependency'] };
  if (socket === 'reconnecting') return { kind: 'offline' };
  return { kind: 'live' };
}

/**
 * Reads a readiness answer: the API's readiness body (`{status, down: [...]}`) or the API's own error
 * body (`{statusCode, message}`, e.g. the `503` it gives while a dependency is away) is the API's
 * answer; anything else (no JSON, a proxy's page) is not, and counts as nothing answered.
 * @param status the HTTP status
 * @param body the parsed JSON body, or null when it was not JSON
 */
export function readinessProbe(status: number, body: unknown): ReadinessProbe | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as { status?: unknown; statusCode?: unknown; down?: unknown };
  if (Array.isArray(b.down)) return { status, down: b.down.filter((d): d is string => typeof d === 'string') };
  if (typeof b.status === 'string' || b.statusCode === status) return { status, down: [] };
  return null;
}

/** The banner's text for a state (translated), or null when live. */
export function offlineBannerText(state: CadState): string | null {
  if (state.kind === 'live') return null;
  if (state.kind === 'offline') return t('offline.banner');
  const names: Record<string, string> = { postgres: t('offline.database'), redis: t('offline.queue'), dependency: t('offline.dependency') };
  const what = state.down.map((d) => names[d] ?? d).join(', ');
  return t('offline.degraded', { what });
}

/** The running banner: tell it the socket's state as it changes; `stop` removes it. */
export interface OfflineBanner {
  socket(state: ConnectionState): void;
  /** The state shown now. */
  state(): CadState;
  stop(): void;
}

/**
 * Starts polling readiness (`GET /api/health/ready`, public) every second and shows or hides the banner
 * (an element created at the top of `body`), setting `body.cad-offline` while it shows.
 * @param onLive called each time CAD is reachable again (to send what was kept meanwhile)
 */
export function startOfflineBanner(doc: Document = document, onLive?: () => void): OfflineBanner {
  const el = bannerElement(doc, 'offline-banner');
  let probe: ReadinessProbe | null = { status: 200 };
  let socket: ConnectionState = 'connecting';
  let current: CadState = { kind: 'live' };
  const render = () => {
    const was = current.kind;
    current = cadState(probe, socket, current, timeouts);
    if (current.kind === 'live' && was !== 'live') onLive?.();
    const text = offlineBannerText(current);
    el.hidden = text === null;
    el.dataset.state = current.kind;
    if (text !== null) el.textContent = text;
    doc.body.classList.toggle('cad-offline', text !== null);
  };
  let inFlight = false;
  let timeouts = 0;
  const poll = async () => {
    if (inFlight) return;
    inFlight = true;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
    const ask = async () => {
      const res = await fetch('/api/health/ready', { headers: { Accept: 'application/json' }, signal: ctl.signal, cache: 'no-store' });
      return readinessProbe(res.status, await res.json().catch(() => null));
    };
    try {
      // One failed request is not proof the API is gone (a kept-alive connection reset under it): a
      // second one, at once and within the same timeout, is; a refused connection fails both at once.
      probe = await ask().catch((err: unknown) => {
        if ((err as { name?: string }).name === 'AbortError') throw err;
        return ask();
      });
    } catch (err) {
      // Aborted by the timer: a connection was made (or is hanging), not refused.
      probe = (err as { name?: string }).name === 'AbortError' ? { timedOut: true } : null;
    } finally {
      timeouts = probe && 'timedOut' in probe ? timeouts + 1 : 0;
      clearTimeout(timer);
      inFlight = false;
    }
    render();
  };
  void poll().then(() => {
    if (current.kind === 'live') onLive?.();
  });
  const interval = setInterval(() => void poll(), POLL_MS);
  return {
    socket(state) {
      socket = state;
      render();
    },
    state: () => current,
    stop() {
      clearInterval(interval);
      el.remove();
      doc.body.classList.remove('cad-offline');
    },
  };
}
