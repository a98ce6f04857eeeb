/** Panel header: drill/wall clock, EXERCISE badge, connection status, counters, P1 flash. */
import { getClock, simNow } from '../clock';
import { cityTime, esc, hms } from '../format';
import type { ConnectionState } from '../socket';
import type { Incident, Unit } from '../types';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

/** Refresh the clock line (called every second and on each `clock` message). */
export function tickClock(): void {
  const clock = getClock();
  const sim = simNow();
  const drillActive = clock.running || clock.drill !== null;
  $('clock-label').textContent = sim !== null && drillActive ? 'SIM' : 'TIME';
  // The wall clock in city time only: before sign-in the city's zone is not known yet.
  $('clock-time').textContent = sim !== null && drillActive ? hms(sim) : (cityTime(Date.now()) ?? '--:--:--');
  $('clock-speed').textContent = sim !== null && drillActive ? `×${formatSpeed(clock.speed)}${clock.running ? '' : ' (paused)'}` : '';
  $('drill-name').textContent = clock.drill ?? '';
  $('exercise-badge').hidden = !clock.running;
  document.body.classList.toggle('drill-running', clock.running);
}

function formatSpeed(speed: number): string {
  return Number.isInteger(speed) ? String(speed) : speed.toFixed(1);
}

/** Show the socket connection state (live / reconnecting / connecting). */
export function setConnection(state: ConnectionState): void {
  const el = $('conn-status');
  el.dataset.state = state;
  el.textContent = state === 'live' ? 'LIVE' : state === 'reconnecting' ? 'RECONNECTING' : 'CONNECTING';
}

/**
 * The capabilities (engine, truck, ambulance…) that some unit has but no available unit has, in
 * alphabetical order: nothing of that kind can be sent until a unit clears or comes back in service.
 */
export function capabilitiesWithNoneAvailable(units: Iterable<Unit>): string[] {
  const available = new Map<string, number>();
  for (const u of units) {
    for (const c of u.capabilities ?? []) available.set(c, (available.get(c) ?? 0) + (u.status === 'available' ? 1 : 0));
  }
  return [...available].filter(([, n]) => n === 0).map(([c]) => c).sort();
}

/** The header's warning for capabilities with no unit available (`No engine or truck available`), or ''. */
export function noneAvailableText(capabilities: string[]): string {
  if (!capabilities.length) return '';
  const names = capabilities.map((c) => c.replace(/_/g, ' '));
  return `No ${new Intl.ListFormat('en', { type: 'disjunction' }).format(names)} available`;
}

/**
 * Update the counters row: open incidents, P1, unassigned, units available/total; the available
 * counter turns red, with a warning under it, when some capability has no unit available.
 */
export function renderCounters(incidents: Map<string, Incident>, units: Map<string, Unit>, lastSeq: number | null, world?: string): void {
  let p1 = 0;
  let unassigned = 0;
  let open = 0;
  for (const inc of incidents.values()) {
    if (inc.status === 'resolved') continue;
    open++;
    if (inc.priority === 1) p1++;
    if (!inc.assignments.some((a) => a.status !== 'cleared')) unassigned++;
  }
  let avail = 0;
  for (const u of units.values()) if (u.status === 'available') avail++;
  const none = capabilitiesWithNoneAvailable(units.values());
  $('counters').innerHTML = [
    // The world counted (the live/exercise switch), so a count is never read as the other's.
    ...(world ? [counter('World', world, 'world')] : []),
    counter('Open', open, 'open'),
    counter('P1', p1, p1 ? 'p1 hot' : 'p1'),
    counter('Unassigned', unassigned, unassigned ? 'unassigned hot' : 'unassigned'),
    counter('Avail', `${avail}/${units.size}`, none.length ? 'avail short' : 'avail'),
  ].join('');
  const warning = $('capability-warning');
  warning.textContent = noneAvailableText(none);
  warning.dataset.capabilities = none.join(' ');
  warning.hidden = !none.length;
  $('last-seq').textContent = lastSeq === null ? '' : `seq ${lastSeq}`;
}

function counter(name: string, value: string | number, cls: string): string {
  return `<div class="counter ${cls}"><span class="v">${esc(value)}</span><span class="k">${esc(name)}</span></div>`;
}

/** Flash the header briefly (new priority-1 incident). */
export function flashHeader(): void {
  const el = $('panel-header');
  el.classList.remove('flash');
  void el.offsetWidth; // restart the CSS animation
  el.classList.add('flash');
  window.setTimeout(() => el.classList.remove('flash'), 3200);
}
