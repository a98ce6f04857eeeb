/**
 * The phone's position reported as the unit's AVL (`POST /api/units/:id/position`): at most every 5 s
 * unless the unit moved 25 m or more. A line under the map says how the last report went, in the
 * language shown (drawn again when the crew switches language).
 */
import { postPosition } from '../api';
import { hms } from '../format';
import { onLocaleChange, t } from '../i18n';

/** Minimum time between two position reports, ms, unless the unit moved more than {@link POSITION_MIN_METRES}. */
const POSITION_INTERVAL_MS = 5000;
const POSITION_MIN_METRES = 25;

/** The browser's geolocation error codes (W3C Geolocation API, GeolocationPositionError) and their messages. */
const GEOLOCATION_ERRORS: Record<number, string> = { 1: 'responder.geoDenied', 2: 'responder.geoUnavailable', 3: 'responder.geoTimeout' };

/** Great-circle distance, metres (haversine, mean Earth radius 6,371,008.8 m, IUGG). */
function metres(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const r = Math.PI / 180;
  const dLat = (bLat - aLat) * r;
  const dLon = (bLon - aLon) * r;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * r) * Math.cos(bLat * r) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/** A line of text kept as how to say it, so a change of language says it again in the new one. */
export class LocalisedNote {
  private say: (() => string) | null = null;

  constructor(private readonly el: { textContent: string | null }) {}

  /** Shows the text `say` gives now, and again on every redraw. */
  show(say: () => string): void {
    this.say = say;
    this.el.textContent = say();
  }

  /** Says the note again (in the language now chosen); nothing when none was shown. */
  redraw(): void {
    if (this.say) this.el.textContent = this.say();
  }
}

/** The geolocation line's text for a browser error code (W3C GeolocationPositionError), in the language shown. */
export function noPositionText(code: number): string {
  return t('responder.noPosition', { error: t(GEOLOCATION_ERRORS[code] ?? 'responder.geoUnavailable') });
}

/** What position reporting needs from the page. */
export interface PositionHost {
  /** Whether the server takes positions (`unitPosition` feature). */
  offered: boolean;
  /** The unit crewed, or null (nothing is sent). */
  unitId(): string | null;
  /** Whether the page is online (nothing is sent offline). */
  online(): boolean;
  /** Moves the unit's own marker (WGS84 degrees). */
  moveSelf(lat: number, lon: number): void;
}

let watchId: number | null = null;
/** The line under the map (made at the first start). */
let note: LocalisedNote | null = null;
let lastSent: { at: number; lat: number; lon: number } | null = null;
/** Position reports the server took (read by the end-to-end tests). */
export const positionStats = { sent: 0 };

/** Starts watching the phone's position and reporting it (once; later calls do nothing). */
export function startPositionReporting(host: PositionHost, el: HTMLElement): void {
  if (!note) {
    const made = new LocalisedNote(el);
    onLocaleChange(() => made.redraw());
    note = made;
  }
  const line = note;
  if (!host.offered || !('geolocation' in navigator) || watchId !== null) {
    if (!host.offered) line.show(() => t('responder.positionNotOffered'));
    return;
  }
  watchId = navigator.geolocation.watchPosition(
    (pos) => {
      const { latitude: lat, longitude: lon, heading, speed } = pos.coords;
      host.moveSelf(lat, lon);
      const now = Date.now();
      if (lastSent && now - lastSent.at < POSITION_INTERVAL_MS && metres(lastSent.lat, lastSent.lon, lat, lon) < POSITION_MIN_METRES) return;
      const unitId = host.unitId();
      if (!unitId || !host.online()) return;
      lastSent = { at: now, lat, lon };
      postPosition(unitId, {
        lat,
        lon,
        at: new Date(pos.timestamp).toISOString(),
        ...(heading !== null && Number.isFinite(heading) ? { headingDeg: heading } : {}),
        ...(speed !== null && Number.isFinite(speed) ? { speedMps: speed } : {}),
      })
        .then(() => {
          positionStats.sent++;
          const time = hms(Date.now());
          line.show(() => t('responder.positionSent', { time }));
        })
        .catch((err: Error) => line.show(() => t('responder.positionNotSent', { error: err.message })));
    },
    (err) => line.show(() => noPositionText(err.code)),
    { enableHighAccuracy: true, maximumAge: 2000, timeout: 20000 },
  );
}
