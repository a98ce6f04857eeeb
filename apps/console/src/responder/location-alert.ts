/**
 * The responder's LOCATION CHANGED alert: the incident the crew is sent to moved; the old and the
 * new address are shown in a banner above the task until the crew acknowledges it
 * (`POST /api/location-alerts/:id/acknowledge`). Unacknowledged, the dispatcher is alerted.
 */
import { request } from '../api';
import { esc } from '../format';
import { LatestRead } from '../state/live-read';

interface LocationAlert {
  id: string;
  old: { lat: number; lon: number; address: string | null };
  new: { lat: number; lon: number; address: string | null };
  reason: string;
  changedBy: string;
}

const where = (p: LocationAlert['old']) => p.address ?? `${p.lat.toFixed(5)}, ${p.lon.toFixed(5)}`;

/** The banner's HTML for the unit's open alerts ('' when none). */
export function locationAlertHtml(alerts: readonly LocationAlert[]): string {
  return alerts
    .map(
      (a) => `<div class="r-location-alert" role="alert" data-alert-id="${esc(a.id)}">
  <b>LOCATION CHANGED</b>
  <div>from <s>${esc(where(a.old))}</s></div>
  <div>to <b>${esc(where(a.new))}</b></div>
  <div class="muted">${esc(a.reason)} (${esc(a.changedBy)})</div>
  <button type="button" class="status-btn big" data-ack-location="${esc(a.id)}">Acknowledge new location</button>
</div>`,
    )
    .join('');
}

/** Only the latest read of the unit's location alerts is shown. */
const reads = new LatestRead();

/** Loads and shows the unit's open alerts in a banner placed before `before`; acknowledging one reloads them. */
export async function refreshLocationAlerts(unitId: string, before: HTMLElement): Promise<void> {
  let el = document.getElementById('r-location-alerts');
  if (!el) {
    el = document.createElement('section');
    el.id = 'r-location-alerts';
    before.insertAdjacentElement('beforebegin', el);
    el.addEventListener('click', (e) => {
      const id = (e.target as HTMLElement).closest<HTMLElement>('[data-ack-location]')?.dataset.ackLocation;
      if (id) void request('POST', `/api/location-alerts/${id}/acknowledge`, {}).then(() => refreshLocationAlerts(unitId, before));
    });
  }
  const ticket = reads.start();
  try {
    const alerts = await request<LocationAlert[]>('GET', `/api/units/${unitId}/location-alerts`);
    // A later refresh (after an acknowledgement) holds the newer list.
    if (reads.current(ticket)) el.innerHTML = locationAlertHtml(alerts);
  } catch {
    // Offline, or an older server: the banner stays as it was.
  }
}
