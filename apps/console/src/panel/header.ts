/** Panel header: drill/wall clock, EXERCISE badge, connection status, counters, P1 flash. */
import { getClock, simNow } from '../clock';
import { capabilityLabel, cityTime, esc, hms } from '../format';
import { list, num, t } from '../i18n';
import type { ConnectionState } from '../socket';
import type { ClockState, Incident, Unit } from '../types';
import { drillName } from '../drill-names';
import { worldView, type WorldView } from '../world';

const $ = (id: string): HTMLElement => document.getElementById(id)!;

/** What the header's clock shows: its label, time, speed, drill name, and whether the EXERCISE badge is up. */
export interface ClockLine {
  label: string;
  time: string;
  speed: string;
  /** The running drill's name in people's words (`Exercise Jan 1, 2017 (nearest, seed 1)`), or ''. */
  drill: string;
  exerciseBadge: boolean;
  /** Whether the clock is the drill's (drawn as such: the `drill-running` look). */
  drillClock: boolean;
}

/**
 * The clock line for `view`: the live view shows the wall clock in city time (`now`, epoch ms) and no
 * drill, whatever a drill is doing; the exercise view shows the drill's clock (`sim`, epoch ms, at
 * `clock.speed`), its name and the EXERCISE badge while a drill runs or stands, else the wall clock.
 */
export function clockLine(clock: ClockState, sim: number | null, view: WorldView, now: number): ClockLine {
  const drillShown = view === 'exercise' && sim !== null && (clock.running || clock.drill !== null);
  if (!drillShown) return { label: t('clock.time'), time: cityTime(now) ?? '--:--:--', speed: '', drill: '', exerciseBadge: false, drillClock: false };
  return {
    label: t('clock.sim'),
    time: hms(sim),
    speed: t(clock.running ? 'clock.speed' : 'clock.speedPaused', { speed: formatSpeed(clock.speed) }),
    drill: drillName(clock.drill),
    exerciseBadge: clock.running,
    drillClock: clock.running,
  };
}

/** Refresh the clock line (called every second and on each `clock` message). */
export function tickClock(): void {
  const line = clockLine(getClock(), simNow(), worldView(), Date.now());
  $('clock-label').textContent = line.label;
  // The wall clock in city time only: before sign-in the city's zone is not known yet.
  $('clock-time').textContent = line.time;
  $('clock-speed').textContent = line.speed;
  $('drill-name').textContent = line.drill;
  $('drill-name').title = line.drill;
  $('exercise-badge').hidden = !line.exerciseBadge;
  document.body.classList.toggle('drill-running', line.drillClock);
}

function formatSpeed(speed: number): string {
  return num(speed, { maximumFractionDigits: Number.isInteger(speed) ? 0 : 1, minimumFractionDigits: Number.isInteger(speed) ? 0 : 1 });
}

/** Show the socket connection state (live / reconnecting / connecting). */
export function setConnection(state: ConnectionState): void {
  const el = $('conn-status');
  el.dataset.state = state;
  el.textContent = t(`connection.${state}`);
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
  return t('header.noneAvailable', { capabilities: list(capabilities.map(capabilityLabel), 'disjunction') });
}

/**
 * Update the counters row: open incidents (of `view`'s world: in the exercise view the drill's, labelled
 * so), P1, unassigned, units available/total; the available
 * counter turns red, with a warning under it, when some capability has no unit available.
 */
export function renderCounters(incidents: Map<string, Incident>, units: Map<string, Unit>, lastSeq: number | null, world?: string, view: WorldView = 'live'): void {
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
    ...(world ? [counter(t('header.world'), world, 'world')] : []),
    // The exercise view lists the live incidents above the drill's but counts the drill's only: its label says so.
    view === 'exercise' ? counter(t('header.openExercise'), num(open), 'open', t('header.openExerciseTitle')) : counter(t('header.open'), num(open), 'open'),
    counter(t('header.p1'), num(p1), p1 ? 'p1 hot' : 'p1'),
    counter(t('header.unassigned'), num(unassigned), unassigned ? 'unassigned hot' : 'unassigned'),
    counter(t('header.available'), t('header.ofTotal', { n: num(avail), total: num(units.size) }), none.length ? 'avail short' : 'avail'),
  ].join('');
  const warning = $('capability-warning');
  warning.textContent = noneAvailableText(none);
  warning.dataset.capabilities = none.join(' ');
  warning.hidden = !none.length;
  $('last-seq').textContent = lastSeq === null ? '' : t('header.seq', { seq: lastSeq });
}

function counter(name: string, value: string | number, cls: string, title?: string): string {
  return `<div class="counter ${cls}"${title ? ` title="${esc(title)}"` : ''}><span class="v">${esc(value)}</span><span class="k">${esc(name)}</span></div>`;
}

/** Flash the header briefly (new priority-1 incident). */
export function flashHeader(): void {
  const el = $('panel-header');
  el.classList.remove('flash');
  void el.offsetWidth; // restart the CSS animation
  el.classList.add('flash');
  window.setTimeout(() => el.classList.remove('flash'), 3200);
}
