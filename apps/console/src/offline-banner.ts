/**
 * The CAD OFFLINE banner: an unmistakable strip across the top of the console while the API cannot
 * be reached (readiness does not answer, or the live socket is down), or DEGRADED naming what is down
 * (readiness answers `503` with `down: ["postgres"]`). While it shows, the body carries the class
 * `cad-offline` and the styles grey the queues, ages, counts and unit states as no longer live. It is
 * cleared at the first good answer with the socket live again.
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

/** What a readiness poll found: `null` when it did not answer at all (network, timeout, not JSON). */
export interface ReadinessProbe {
  status: number;
  down?: string[];
}

/** The console's view of CAD: live, offline (API or socket unreachable), or degraded (a dependency down). */
export type CadState = { kind: 'live' } | { kind: 'offline' } | { kind: 'degraded'; down: string[] };

/**
 * Decides the console's state from the last readiness probe and the live socket's state: no answer
 * or a socket not live → offline; an answer naming dependencies down → degraded; else live. A socket
 * still making its first connection does not count as down.
 */
export function cadState(probe: ReadinessProbe | null, socket: ConnectionState): CadState {
  if (!probe || (probe.status >= 500 && !probe.down?.length)) return { kind: 'offline' };
  if (probe.down?.length) return { kind: 'degraded', down: [...probe.down] };
  if (socket === 'reconnecting') return { kind: 'offline' };
  return { kind: 'live' };
}

/** The banner's text for a state (translated), or null when live. */
export function offlineBannerText(state: CadState): string | null {
  if (state.kind === 'live') return null;
  if (state.kind === 'offline') return t('offline.banner');
  const what = state.down.map((d) => (d === 'postgres' ? t('offline.database') : d === 'redis' ? t('offline.queue') : d)).join(', ');
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
    current = cadState(probe, socket);
    if (current.kind === 'live' && was !== 'live') onLive?.();
    const text = offlineBannerText(current);
    el.hidden = text === null;
    el.dataset.state = current.kind;
    if (text !== null) el.textContent = text;
    doc.body.classList.toggle('cad-offline', text !== null);
  };
  let inFlight = false;
  const poll = async () => {
    if (inFlight) return;
    inFlight = true;
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
    try {
      const res = await fetch('/api/health/ready', { headers: { Accept: 'application/json' }, signal: ctl.signal, cache: 'no-store' });
      const body = (await res.json().catch(() => null)) as { down?: string[] } | null;
      probe = body ? { status: res.status, down: Array.isArray(body.down) ? body.down : [] } : null;
    } catch {
      probe = null;
    } finally {
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
