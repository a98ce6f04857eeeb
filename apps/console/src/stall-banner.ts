/**
 * Intake-stall banner: the console polls readiness (`GET /api/health/ready`, public) and, while the
 * server reports `degraded` (a stage of intake has stalled past `INTAKE_STALL_S`), shows a banner over
 * the page naming each stalled stage, how long its oldest item has waited and how many wait.
 */
import { esc } from './format';

/** A stalled stage as readiness reports it. */
export interface StallReport {
  stage: 'intake' | 'dispatch' | 'event-log' | string;
  /** Age of the stage's oldest waiting item, seconds. */
  oldestSeconds: number;
  /** Items waiting in that stage. */
  waiting: number;
}

/** How often readiness is polled, ms. */
const POLL_MS = 15_000;

const WHAT: Record<string, string> = {
  intake: 'calls not placed (the intake worker is down or stuck)',
  dispatch: 'incidents with no dispatch decision (the dispatch worker is down or stuck)',
  'event-log': 'events not yet on consoles (no event sequencer is running)',
};

/**
 * The banner's HTML for a readiness answer, or null when nothing has stalled (status `ok`, or an
 * answer without stalls). Text from the server is escaped.
 */
export function stallBannerHtml(health: { status?: string; stalls?: StallReport[] } | null): string | null {
  const stalls = health?.status === 'degraded' ? (health.stalls ?? []) : [];
  if (!stalls.length) return null;
  const parts = stalls.map(
    (s) => `<b>${esc(s.stage)}</b>: ${esc(s.waiting)} ${esc(WHAT[s.stage] ?? 'items waiting')}, oldest ${esc(Math.round(s.oldestSeconds))} s`,
  );
  return `Intake stalled: ${parts.join('; ')}. Take calls by radio and phone until it clears.`;
}

/** A hidden alert strip with id and class `name`, added at the top of `body` (the page's banners). */
export function bannerElement(doc: Document, name: string): HTMLDivElement {
  const el = doc.createElement('div');
  el.id = name;
  el.className = name;
  el.setAttribute('role', 'alert');
  el.hidden = true;
  doc.body.prepend(el);
  return el;
}

/**
 * Starts polling readiness and showing or hiding the banner (an element created at the top of `body`).
 * A failed poll (network down) leaves the banner as it was: the connection indicator shows outages.
 * @returns a function that stops polling and removes the banner
 */
export function startStallBanner(doc: Document = document): () => void {
  const el = bannerElement(doc, 'stall-banner');
  const poll = async () => {
    try {
      const res = await fetch('/api/health/ready', { headers: { Accept: 'application/json' } });
      const html = stallBannerHtml(res.status === 200 ? ((await res.json()) as { status?: string; stalls?: StallReport[] }) : null);
      el.hidden = html === null;
      if (html !== null) el.innerHTML = html;
    } catch {
      /* network down: keep the last state */
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), POLL_MS);
  return () => {
    clearInterval(timer);
    el.remove();
  };
}
