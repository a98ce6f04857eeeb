/**
 * The live/exercise switch: which world the console shows. `live` shows live incidents only;
 * `exercise` shows the drills' incidents, with every live incident still listed above them (a live
 * emergency is never hidden behind a drill). The header counts the world chosen and says which.
 * Drill units are never drawn: the store keeps live units only (a drill's E10 is simulated, and
 * the live E10 marker must not move with it).
 */
import { getClock } from './clock';
import { onLocaleChange, t } from './i18n';
import type { Incident, Unit } from './types';

export type WorldView = 'live' | 'exercise';

const KEY = 'cad.world';
let view: WorldView = readStored();
const listeners: (() => void)[] = [];
/** The running drill's units (its own world), for the header's count in the exercise view; never drawn. */
let drillUnits: { drill: string; units: Map<string, Unit> } | null = null;
/** How often the exercise view re-reads the drill's units for its count, ms. */
const DRILL_UNITS_MS = 5000;

function readStored(): WorldView {
  try {
    return localStorage.getItem(KEY) === 'exercise' ? 'exercise' : 'live';
  } catch {
    return 'live';
  }
}

/** The world the console shows now. */
export function worldView(): WorldView {
  return view;
}

/** Switches the world shown (remembered in this browser) and tells the listeners. */
export function setWorldView(next: WorldView): void {
  if (next === view) return;
  view = next;
  try {
    localStorage.setItem(KEY, next);
  } catch {
    /* private mode: not remembered */
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
 * The units the header counts: the live fleet in the live view; in the exercise view the running
 * drill's own fleet (read every few seconds), or none while it is not loaded or no drill runs.
 */
export function countedUnits(live: Map<string, Unit>, v: WorldView = view): Map<string, Unit> {
  if (v === 'live') return live;
  const drill = getClock().drill;
  return drillUnits && drillUnits.drill === drill ? drillUnits.units : new Map();
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
    drillUnits = { drill, units: new Map(units.map((u) => [u.id, u])) };
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
