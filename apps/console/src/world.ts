/**
 * The live/exercise switch: which world the console shows. `live` shows live incidents only;
 * `exercise` shows the drills' incidents, with every live incident still listed above them (a live
 * emergency is never hidden behind a drill). The header counts the world chosen and says which, and
 * the unit board and the map show that world's units: in the exercise view the running drill's fleet
 * (its own copies: a drill's E10 is simulated), which the store never holds (it keeps live units only,
 * so the live E10 never moves with the drill's).
 */
import { getClock } from './clock';
import { drillName } from './drill-names';
import { onLocaleChange, t } from './i18n';
import type { CadEvent, Incident, Unit } from './types';

export type WorldView = 'live' | 'exercise';

const KEY = 'cad.world';
let view: WorldView = readStored();
const listeners: (() => void)[] = [];
/** The running drill's units (its own world), for the header's count in the exercise view; never drawn. */
let drillUnits: { drill: string; units: Map<string, Unit> } | null = null;
/** How often the exercise view re-reads the drill's units for its count, ms. */
const DRILL_UNITS_MS = 5000;

function readStored(): WorldView {
  return storedChoice() ?? 'live';
}

/**
 * The world chosen before this page load: a `?world=live|exercise` link, else the dispatcher's last
 * switch remembered in this browser; null when neither (a first visit).
 */
export function storedChoice(): WorldView | null {
  try {
    const param = new URLSearchParams(globalThis.location?.search ?? '').get('world');
    if (param === 'live' || param === 'exercise') return param;
    const stored = globalThis.localStorage?.getItem(KEY);
    return stored === 'live' || stored === 'exercise' ? stored : null;
  } catch {
    return null;
  }
}

/**
 * The world the console opens in. A choice made before (`chosen`: a link or the remembered switch) is
 * kept. With none, a console that would open on an empty live world while a drill runs (`npm start`
 * runs one) opens that drill's exercise view instead (`auto`: the console says so and how to switch
 * back); any open live incident keeps it on live (a live emergency is never opened behind a drill).
 *
 * @param o.chosen the choice made before ({@link storedChoice}), or null
 * @param o.drill the running drill's run id shown by the clock, or null
 * @param o.openLive the number of open live (non-exercise) incidents the console holds
 */
export function initialView(o: { chosen: WorldView | null; drill: string | null; openLive: number }): { view: WorldView; auto: boolean } {
  if (o.chosen) return { view: o.chosen, auto: false };
  if (o.drill && o.openLive === 0) return { view: 'exercise', auto: true };
  return { view: 'live', auto: false };
}

/** The world the console shows now. */
export function worldView(): WorldView {
  return view;
}

/**
 * Switches the world shown and tells the listeners. `remember` (default): the dispatcher's choice, kept
 * in this browser; false: the console's own opening choice ({@link initialView}), not kept.
 */
export function setWorldView(next: WorldView, remember = true): void {
  if (next === view) return;
  view = next;
  if (remember) {
    try {
      localStorage.setItem(KEY, next);
    } catch {
      /* private mode: not remembered */
    }
  }
  paint();
  for (const l of listeners) l();
}

/** Calls `listener` whenever the dispatcher switches the world shown. */
export function onWorldViewChange(listener: () => void): void {
  listeners.push(listener);
}

/** Whether an incident is listed under the current view: live ones always, exercise ones in the exercise view. */
export function listedInView(inc: Pick<Incident, 'exercise'>, v: WorldView = view): boolean {
  return !inc.exercise || v === 'exercise';
}

/** Whether an incident is counted in the header under the current view: only the world chosen. */
export function countedInView(inc: Pick<Incident, 'exercise'>, v: WorldView = view): boolean {
  return v === 'exercise' ? inc.exercise : !inc.exercise;
}

/** Whether an event, AVL message or unit of `world` (`live` when absent) may touch the live units the console draws. */
export function isLiveWorld(world: string | undefined | null): boolean {
  return !world || world === 'live';
}

/**
 * The units the unit board shows and the header counts: the live fleet in the live view; in the
 * exercise view the running drill's own fleet (its world's units, read every few seconds from
 * `GET /api/units?world=<run id>`), or none while it is not loaded or no drill runs. Never drawn on the map.
 */
export function countedUnits(live: Map<string, Unit>, v: WorldView = view, drill: string | null = getClock().drill): Map<string, Unit> {
  if (v === 'live') return live;
  return drillUnits && drillUnits.drill === drill ? drillUnits.units : new Map();
}

/** Keeps `units` as the fleet of drill world `drill` (what the exercise view's board, count and map show). */
export function setDrillUnits(drill: string, units: Unit[]): void {
  drillUnits = { drill, units: new Map(units.map((u) => [u.id, u])) };
}

/**
 * Applies a drill world's `unit.status` event to the fleet held for that drill (between its reads every
 * few seconds): the exercise view's board and map follow the drill's crews as they step, and the fleet
 * is right at once when a drill ends (its units clear together). True when it changed a unit.
 */
export function noteDrillUnitEvent(ev: CadEvent): boolean {
  if (ev.type !== 'unit.status' || !drillUnits || ev.world !== drillUnits.drill) return false;
  const p = ev.payload;
  const u = drillUnits.units.get(p.unitId ?? ev.unitId ?? '');
  if (!u) return false;
  if (p.status) u.status = p.status;
  if (typeof p.lat === 'number' && typeof p.lon === 'number') {
    u.lat = p.lat;
    u.lon = p.lon;
  }
  return true;
}

/** Moves the held drill fleet's units to the positions of a drill world's AVL message; the units moved. */
export function moveDrillUnits(world: string, positions: readonly { unitId: string; lat: number; lon: number }[]): Unit[] {
  if (!drillUnits || world !== drillUnits.drill) return [];
  const moved: Unit[] = [];
  for (const p of positions) {
    const u = drillUnits.units.get(p.unitId);
    if (!u) continue;
    u.lat = p.lat;
    u.lon = p.lon;
    moved.push(u);
  }
  return moved;
}

/** The header's name for the world counted. */
export function worldLabel(v: WorldView = view): string {
  return v === 'exercise' ? t('world.exercise') : t('world.live');
}

function paint(): void {
  const el = document.getElementById('world-switch');
  if (!el) return;
  el.querySelectorAll<HTMLButtonElement>('button[data-world]').forEach((b) => {
    const on = b.dataset.world === view;
    b.setAttribute('aria-checked', String(on));
    b.classList.toggle('on', on);
    // Its words follow the locale shown (the switch is drawn once).
    const live = b.dataset.world === 'live';
    b.textContent = t(live ? 'world.live' : 'world.exercise');
    b.title = t(live ? 'world.liveTitle' : 'world.exerciseTitle');
  });
  el.setAttribute('aria-label', t('world.label'));
  document.body.dataset.world = view;
}

/**
 * Draws the switch in the panel header (after the EXERCISE badge) and calls `onChange` when the
 * dispatcher changes the world shown, or the running drill's units (read with `fetchWorldUnits`,
 * for the exercise view's count) change.
 */
export function setUpWorldSwitch(onChange: () => void, fetchWorldUnits: (world: string) => Promise<Unit[]>): void {
  listeners.push(onChange);
  const poll = async (): Promise<void> => {
    const drill = getClock().drill;
    if (view !== 'exercise' || !drill) return;
    const units = await fetchWorldUnits(drill);
    setDrillUnits(drill, units);
    onChange();
  };
  const tick = (): void => void poll().catch((err) => console.warn('drill units not read', err));
  window.setInterval(tick, DRILL_UNITS_MS);
  listeners.push(tick);
  if (!document.getElementById('world-switch')) {
    const el = document.createElement('div');
    el.id = 'world-switch';
    el.className = 'world-switch';
    el.setAttribute('role', 'radiogroup');
    el.innerHTML = `<button type="button" role="radio" data-world="live"></button><button type="button" role="radio" data-world="exercise"></button>`;
    onLocaleChange(paint);
    el.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-world]');
      if (b) setWorldView(b.dataset.world === 'exercise' ? 'exercise' : 'live');
    });
    const badge = document.getElementById('exercise-badge');
    if (badge?.parentElement) badge.after(el);
    else document.getElementById('panel-header')?.prepend(el);
  }
  paint();
}

/**
 * Opens the world {@link initialView} picks (call once, after the first snapshot and before the socket
 * subscribes). When it opened a drill's exercise view by itself, a one-line notice under the switch
 * says so and how to go back; it goes away when the dispatcher switches.
 */
export function openInitialView(drill: string | null, openLive: number): void {
  const pick = initialView({ chosen: storedChoice(), drill, openLive });
  setWorldView(pick.view, false);
  if (!pick.auto || typeof document === 'undefined') return;
  const switchEl = document.getElementById('world-switch');
  if (!switchEl || document.getElementById('world-notice')) return;
  const notice = document.createElement('div');
  notice.id = 'world-notice';
  notice.className = 'world-notice';
  notice.setAttribute('role', 'status');
  const text = (): void => {
    notice.textContent = t('world.autoExercise', { drill: drillName(drill) });
  };
  text();
  onLocaleChange(text);
  switchEl.after(notice);
  listeners.push(() => notice.remove());
}
