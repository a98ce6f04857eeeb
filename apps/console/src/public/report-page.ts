/**
 * The residents' report page (`/report`, no sign-in, mobile first): it first says to call the
 * emergency number, then takes a report of an emergency or a hazard with its location (the browser's
 * location or a map tap), type and description, and posts it to `POST /api/public/reports`. The page
 * keeps a random device id in localStorage (the per-device limit); it talks to no other route, so it
 * shares nothing with the dispatchers' console.
 */
import 'leaflet/dist/leaflet.css';
import './report.css';
import L from 'leaflet';
import { addLocales, mountLocalePicker, onLocaleChange, t } from '../i18n';
import { drawPublicRoads } from './public-roads';

/** The emergency number the page tells residents to call first. */
export const EMERGENCY_NUMBER = '911';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** The device id the per-device limit counts (random, made once, kept on the device). */
function deviceId(): string {
  const key = 'cad.report.device';
  try {
    const known = localStorage.getItem(key);
    if (known && /^[A-Za-z0-9_-]{16,64}$/.test(known)) return known;
    const made = Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) => b.toString(16).padStart(2, '0')).join('');
    localStorage.setItem(key, made);
    return made;
  } catch {
    return Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) => b.toString(16).padStart(2, '0')).join('');
  }
}

let where: { lat: number; lon: number; accuracyM?: number } | null = null;
let whereKey: { key: string; values?: Record<string, string | number> } | null = null;
let resultKey: { key: string; values?: Record<string, string | number> } | null = null;

const map = L.map($('rr-map'), { center: [37.7749, -122.4194], zoom: 13, maxZoom: 19 });
// No tile server (the CSP allows images from this origin only): the city's outline, from the public alert feed, gives the map its bearings,
// and the streets with their names (public-roads.ts) let a resident find where they are.
void drawPublicRoads(map);
void fetch('/public/alerts.json')
  .then((r) => (r.ok ? (r.json() as Promise<{ city?: GeoJSON.GeoJsonObject | null }>) : null))
  .then((d) => {
    if (d?.city) map.fitBounds(L.geoJSON(d.city, { style: { color: '#56657a', weight: 1, fillOpacity: 0.05 }, interactive: false }).addTo(map).getBounds());
  })
  .catch(() => undefined);
// A circle, not L.marker: the default marker image does not survive bundling.
const marker = L.circleMarker([0, 0], { radius: 9, color: '#d7263d', weight: 3, fillOpacity: 0.4 });

function place(lat: number, lon: number, accuracyM?: number): void {
  where = { lat, lon, accuracyM };
  marker.setLatLng([lat, lon]).addTo(map);
  whereKey = accuracyM === undefined ? { key: 'residentReport.locationTapped' } : { key: 'residentReport.locationSet', values: { accuracy: Math.round(accuracyM) } };
  // A new place: what was said of the last send (e.g. outside the city) no longer holds.
  resultKey = null;
  render();
}

function render(): void {
  $('rr-call-first').textContent = t('residentReport.callFirst', { number: EMERGENCY_NUMBER });
  $('rr-call').textContent = t('residentReport.callNow', { number: EMERGENCY_NUMBER });
  $('rr-call').setAttribute('href', `tel:${EMERGENCY_NUMBER}`);
  $('rr-where').textContent = whereKey ? t(whereKey.key, whereKey.values) : '';
  $('rr-result').textContent = resultKey ? t(resultKey.key, resultKey.values) : '';
}

map.on('click', (e: L.LeafletMouseEvent) => place(e.latlng.lat, e.latlng.lng));
$('rr-locate').addEventListener('click', () => {
  if (!navigator.geolocation) {
    whereKey = { key: 'residentReport.locationDenied' };
    render();
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (p) => {
      place(p.coords.latitude, p.coords.longitude, p.coords.accuracy);
      map.setView([p.coords.latitude, p.coords.longitude], 16);
    },
    () => {
      whereKey = { key: 'residentReport.locationDenied' };
      render();
    },
    { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
  );
});

$<HTMLFormElement>('rr-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void send();
});

async function send(): Promise<void> {
  if (!where) {
    resultKey = { key: 'residentReport.locationMissing' };
    render();
    return;
  }
  const button = $<HTMLButtonElement>('rr-send');
  button.disabled = true;
  resultKey = { key: 'residentReport.sending' };
  render();
  const kind = (document.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value ?? 'emergency') as 'emergency' | 'hazard';
  const contact = $<HTMLInputElement>('rr-contact').value.trim();
  const body = {
    kind,
    type: $<HTMLSelectElement>('rr-type').value,
    description: $<HTMLTextAreaElement>('rr-description').value,
    lat: where.lat,
    lon: where.lon,
    ...(where.accuracyM !== undefined ? { accuracyM: Math.min(100000, where.accuracyM) } : {}),
    ...(contact ? { contact } : {}),
    deviceId: deviceId(),
    language: document.documentElement.lang === 'zh-CN' ? 'zh-CN' : 'en',
  };
  const sentFor = where;
  try {
    const res = await fetch('/api/public/reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await res.json().catch(() => ({}))) as { message?: string | string[]; code?: string; distanceMetres?: number };
    if (res.status !== 202 && where !== sentFor) {
      // Refused for a place the resident has since moved from: not a word about the new one (send it again).
      resultKey = null;
    } else if (res.status === 202) {
      resultKey = { key: 'residentReport.sent', values: { number: EMERGENCY_NUMBER } };
      $<HTMLTextAreaElement>('rr-description').value = '';
    } else if (res.status === 429) resultKey = { key: 'residentReport.tooMany', values: { number: EMERGENCY_NUMBER } };
    // Told in the resident's words, never as the server's coordinates.
    else if (res.status === 422 && answer.code === 'OUTSIDE_JURISDICTION' && typeof answer.distanceMetres === 'number')
      resultKey = { key: 'residentReport.outside', values: { metres: answer.distanceMetres, number: EMERGENCY_NUMBER } };
    else resultKey = { key: 'residentReport.refused', values: { reason: [answer.message ?? res.statusText].flat().join('; ') } };
  } catch {
    resultKey = { key: 'residentReport.offline', values: { number: EMERGENCY_NUMBER } };
  } finally {
    button.disabled = false;
    render();
  }
}

addLocales(import.meta.glob('../../../../libs/i18n/src/locales/*.json', { eager: true, import: 'default' }));
mountLocalePicker($('locale-host'));
onLocaleChange(render);
render();
