/** Panel header: drill/wall clock, EXERCISE badge, connection status, counters, P1 flash. */
import { getClock, simNow } from '../clock';
import { esc, hms } from '../format';
import type { ConnectionState } from '../socket';
import type { Incident, Unit } from '../types';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

/** Refresh the clock line (called every second and on each `clock` message). */
export function tickClock(): void {
  const clock = getClock();
  const sim = simNow();
  const drillActive = clock.running || clock.drill !== null;
  $('clock-label').textContent = sim !== null && drillActive ? 'SIM' : 'TIME';
  $('clock-time').textContent = hms(sim !== null && drillActive ? sim : Date.now());
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

/** Update the counters row: open incidents, P1, unassigned, units available/total. */
export function renderCounters(incidents: Map<string, Incident>, units: Map<string, Unit>, lastSeq: number | null): void {
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
  $('counters').innerHTML = [
    counter('Open', open, 'open'),
    counter('P1', p1, p1 ? 'p1 hot' : 'p1'),
    counter('Unassigned', unassigned, unassigned ? 'unassigned hot' : 'unassigned'),
    counter('Avail', `${avail}/${units.size}`, 'avail'),
  ].join('');
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
