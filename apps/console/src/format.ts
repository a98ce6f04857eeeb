/** Small formatting helpers shared by the panel and map popups. */

/** Escape text for safe interpolation into HTML. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/**
 * Format an age in ms: mm:ss under an hour, `1h05m` under a day, `3d04h` beyond (a replayed historical
 * call is years old). Negative clamps to 00:00.
 */
export function mmss(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (total >= 86400) return `${Math.floor(total / 86400)}d${pad(Math.floor((total % 86400) / 3600))}h`;
  if (total >= 3600) return `${Math.floor(total / 3600)}h${pad(Math.floor((total % 3600) / 60))}m`;
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** Format an ETA in seconds as m:ss, or an em dash when unknown. */
export function eta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

let zoneFormat: Intl.DateTimeFormat | null = null;

/** Shows every time in the city's time zone (IANA name from `GET /api/state`), not the browser's. */
export function setTimeZone(timeZone: string | undefined): void {
  try {
    zoneFormat = timeZone ? new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }) : null;
  } catch {
    zoneFormat = null;
  }
}

/** Format epoch ms as HH:MM:SS in the city's time zone (the browser's until it is known). */
export function hms(ms: number): string {
  if (zoneFormat) return zoneFormat.format(new Date(ms));
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Human label for a snake_case status. */
export function label(status: string): string {
  return status.replace(/_/g, ' ');
}

/** Title-case an incident type like "structure_fire" → "Structure fire". */
export function typeLabel(type: string): string {
  const t = type.replace(/[_.-]+/g, ' ').trim();
  return t ? t[0].toUpperCase() + t.slice(1) : '?';
}

export const PRIORITY_COLOURS: Record<number, string> = { 1: '#e5484d', 2: '#f76b15', 3: '#e2c541' };

export const STATUS_COLOURS: Record<string, string> = {
  available: '#30a46c',
  dispatched: '#f5a524',
  en_route: '#3e8ed0',
  acknowledged: '#e8a33d',
  on_scene: '#9d5bd2',
  transporting: '#d6409f',
  at_hospital: '#c2298a',
  returning: '#5eb1a0',
  out_of_service: '#7a7f87',
};
