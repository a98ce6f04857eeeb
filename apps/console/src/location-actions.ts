/**
 * Location actions of the console: confirm or move an incident's location (crews get a LOCATION
 * CHANGED alert), and the clock-skew line listing devices whose clock is off.
 */
import { geocode, geocodeMissText, request } from './api';
import { esc } from './format';
import { onLocaleChange, t, tHtml } from './i18n';
import type { Incident } from './types';

/**
 * Runs a location command on an incident: confirm the typed address, move to the device point, or
 * move to a typed address (asked with prompts: new address, then reason). A new address that is
 * not found shows the server's candidates and moves nothing.
 */
export async function runLocationCommand(cmd: string, inc: Incident, toast: (text: string, error?: boolean) => void): Promise<void> {
  try {
    if (cmd === 'location-confirm') {
      await request('POST', `/api/incidents/${inc.id}/location/confirm`, {});
      toast(t('locationActions.confirmed'));
      return;
    }
    let to: { lat: number; lon: number; address?: string };
    if (cmd === 'location-to-device' && inc.devicePoint) to = { lat: inc.devicePoint.lat, lon: inc.devicePoint.lon };
    else {
      const typed = window.prompt(t('locationActions.newAddress'), inc.address ?? '');
      if (!typed?.trim()) return;
      const found = await geocode(typed.trim());
      if ('miss' in found) {
        const c = (found as { candidates?: { address: string }[] }).candidates ?? [];
        toast(c.length ? t('locationActions.notFoundDidYouMean', { why: geocodeMissText(found), candidates: c.map((x) => x.address).join('; ') }) : geocodeMissText(found), true);
        return;
      }
      to = { lat: found.lat, lon: found.lon, address: typed.trim() };
    }
    const reason = window.prompt(t('locationActions.why'), t('locationActions.whyDefault'));
    if (!reason?.trim()) return;
    const r = await request<{ alerts: unknown[] }>('POST', `/api/incidents/${inc.id}/location`, { ...to, reason: reason.trim() });
    toast(t('locationActions.changed', { count: r.alerts.length }));
  } catch (err) {
    toast((err as Error).message, true);
  }
}

/**
 * Who a skewed clock belongs to, as HTML: the account (and its unit) in bold, the device id it sent
 * after it ("<b>e01 (E01)</b> · device commander"): a device id is the phone's word, the account is not.
 */
export function clockSkewWho(c: { account?: string; unitId?: string | null; deviceId: string }): string {
  if (!c.account) return `<b>${esc(c.deviceId)}</b>`;
  const who = c.unitId ? `${c.account} (${c.unitId})` : c.account;
  return `<b>${esc(who)}</b>${c.deviceId !== c.account ? ` · ${esc(t('locationActions.clockDevice', { device: c.deviceId }))}` : ''}`;
}

/** One device's clock as `GET /api/devices/clocks` lists it (one row per account and device). */
export interface DeviceClockRow {
  account?: string;
  /** The unit the account crews (null for a console's account). */
  unitId?: string | null;
  deviceId: string;
  /** Device minus server, seconds. */
  offsetS: number;
  skewed: boolean;
  updatedAt?: string;
}

/**
 * The devices to show as skewed, each once: a device measured through several accounts (a unit's
 * phone used by its crew and by a dispatcher) is one clock, shown by its latest measurement, and only
 * when that one is skewed; most skewed first.
 */
export function skewedDevices(clocks: readonly DeviceClockRow[]): DeviceClockRow[] {
  const latest = new Map<string, DeviceClockRow>();
  for (const c of clocks) {
    const key = c.deviceId.toLowerCase();
    const seen = latest.get(key);
    if (!seen || Date.parse(c.updatedAt ?? '') > Date.parse(seen.updatedAt ?? '')) latest.set(key, c);
  }
  return [...latest.values()].filter((c) => c.skewed).sort((a, b) => Math.abs(b.offsetS) - Math.abs(a.offsetS));
}

/** Polls `GET /api/devices/clocks` every 30 s and shows the devices whose clock is skewed (each once), under `after`. */
export function startClockSkewWatch(after: HTMLElement): void {
  const el = document.createElement('div');
  el.id = 'clock-skew';
  el.className = 'capability-warning clock-skew';
  el.setAttribute('role', 'status');
  el.hidden = true;
  after.insertAdjacentElement('afterend', el);
  let skewed: DeviceClockRow[] = [];
  // Drawn again when the user changes language, not only at the next poll.
  const render = () => {
    el.hidden = skewed.length === 0;
    el.innerHTML = skewed.length
        ? tHtml('locationActions.clockSkew', {
            devices: skewed
              .slice(0, 5)
              .map((c) => `${clockSkewWho(c)} ${c.offsetS > 0 ? '+' : ''}${esc(Math.round(c.offsetS))} s`)
              .join(', '),
            more: skewed.length > 5 ? esc(t('locationActions.clockSkewMore', { count: skewed.length - 5 })) : '',
          })
        : '';
  };
  const poll = async () => {
    try {
      skewed = skewedDevices(await request<DeviceClockRow[]>('GET', '/api/devices/clocks'));
      render();
    } catch {
      el.hidden = true; // an older server without the endpoint
    }
  };
  onLocaleChange(render);
  void poll();
  window.setInterval(() => void poll(), 30_000);
}
