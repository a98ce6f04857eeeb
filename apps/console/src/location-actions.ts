/**
 * Location actions of the console: confirm or move an incident's location (crews get a LOCATION
 * CHANGED alert), and the clock-skew line listing devices whose clock is off.
 */
import { geocode, geocodeMissText, request } from './api';
import { esc } from './format';
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
      toast('Address confirmed.');
      return;
    }
    let to: { lat: number; lon: number; address?: string };
    if (cmd === 'location-to-device' && inc.devicePoint) to = { lat: inc.devicePoint.lat, lon: inc.devicePoint.lon };
    else {
      const typed = window.prompt('New address of the incident', inc.address ?? '');
      if (!typed?.trim()) return;
      const found = await geocode(typed.trim());
      if ('miss' in found) {
        const c = (found as { candidates?: { address: string }[] }).candidates ?? [];
        toast(`${geocodeMissText(found)}${c.length ? `. Did you mean: ${c.map((x) => x.address).join('; ')}?` : ''}`, true);
        return;
      }
      to = { lat: found.lat, lon: found.lon, address: typed.trim() };
    }
    const reason = window.prompt('Why does the location change? (crews see the new address)', 'caller corrected the address');
    if (!reason?.trim()) return;
    const r = await request<{ alerts: unknown[] }>('POST', `/api/incidents/${inc.id}/location`, { ...to, reason: reason.trim() });
    toast(`Location changed; ${r.alerts.length} crew${r.alerts.length === 1 ? '' : 's'} alerted.`);
  } catch (err) {
    toast((err as Error).message, true);
  }
}

/** Polls `GET /api/devices/clocks` every 30 s and shows the devices whose clock is skewed, under `after`. */
export function startClockSkewWatch(after: HTMLElement): void {
  const el = document.createElement('div');
  el.id = 'clock-skew';
  el.className = 'capability-warning clock-skew';
  el.setAttribute('role', 'status');
  el.hidden = true;
  after.insertAdjacentElement('afterend', el);
  const poll = async () => {
    try {
      const clocks = await request<{ deviceId: string; offsetS: number; skewed: boolean }[]>('GET', '/api/devices/clocks');
      const skewed = clocks.filter((c) => c.skewed);
      el.hidden = skewed.length === 0;
      el.innerHTML = skewed.length
        ? `Clock skew: ${skewed
            .slice(0, 5)
            .map((c) => `<b>${esc(c.deviceId)}</b> ${c.offsetS > 0 ? '+' : ''}${esc(Math.round(c.offsetS))} s`)
            .join(', ')}${skewed.length > 5 ? ` and ${skewed.length - 5} more` : ''} (their stamps are corrected)`
        : '';
    } catch {
      el.hidden = true; // an older server without the endpoint
    }
  };
  void poll();
  window.setInterval(() => void poll(), 30_000);
}
