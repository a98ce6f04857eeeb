/**
 * The lifelines box's content (map/lifelines.ts): collapsed by default to one line, the layer's name and
 * its open-alarm count (a leak is never hidden), so the stand-in notice and legend do not cover part of
 * the map; a click opens it (stand-in notice, legend, counts) and the choice is remembered in this browser.
 */
import { bdi, esc } from '../format';
import { num, t, tHtml } from '../i18n';

/** Sensor colours by state: the palette of the console's status colours (green, orange, grey). */
export const STATE_COLOURS = { ok: '#2f9e44', alarm: '#f76b15', silent: '#868e96' } as const;

const KEY = 'cad.lifelinesBox';

/** Whether the box is open: only when the dispatcher opened it before (remembered in this browser); collapsed otherwise. */
export function lifelinesBoxOpen(store: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): boolean {
  try {
    return store?.getItem(KEY) === 'open';
  } catch {
    return false;
  }
}

/** Remembers the dispatcher's choice of an open (true) or collapsed box. */
export function rememberLifelinesBox(open: boolean, store: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    store?.setItem(KEY, open ? 'open' : 'closed');
  } catch {
    /* private mode: not remembered */
  }
}

/**
 * The box's HTML in the locale shown: a toggle button (`aria-expanded`) naming the layer and, collapsed,
 * the open alarms; open, also each stand-in network's notice, the colour legend and the counts.
 *
 * @param networks the networks served (`standIn` and `id` used)
 * @param counts open alarms and silent sensors now
 * @param open whether the box is open
 */
export function lifelinesBoxHtml(networks: { id: string; standIn: boolean }[], counts: { alarms: number; silent: number }, open: boolean): string {
  const alarms = esc(t('lifelines.openAlarms', { count: num(counts.alarms) }));
  const toggle = `<button type="button" class="lifelines-toggle" aria-expanded="${open}" title="${esc(t(open ? 'lifelines.collapse' : 'lifelines.expand'))}"><b>${esc(
    t('lifelines.title'),
  )}</b>${open ? '' : ` · ${alarms}`} ${open ? '▾' : '▸'}</button>`;
  if (!open) return toggle;
  const standIn = networks.filter((n) => n.standIn).map((n) => `<div class="lifelines-stand-in">${tHtml('lifelines.standIn', { network: bdi(n.id) })}</div>`);
  const legend = (Object.keys(STATE_COLOURS) as (keyof typeof STATE_COLOURS)[])
    .map((k) => `<span class="lifelines-key"><i style="background:${STATE_COLOURS[k]}"></i>${esc(t(`lifelines.state.${k}`))}</span>`)
    .join(' ');
  return `${toggle}${standIn.join('')}<div>${legend}</div><div class="lifelines-counts">${alarms} · ${esc(t('lifelines.silentSensors', { count: num(counts.silent) }))}</div>`;
}
