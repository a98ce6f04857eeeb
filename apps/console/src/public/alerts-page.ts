/**
 * The public alert page (`/alerts`, no sign-in): the city's active alerts on a map and as a list, in
 * the resident's language (English or Chinese: each alert carries one CAP `info` block per language;
 * the browser's language picks the default). Data from `/public/alerts.json`, served from the API's
 * cache, refreshed every 30 s.
 */
import 'leaflet/dist/leaflet.css';
import '../alerts/alerts.css';
import L from 'leaflet';
import { infoIn, type PublicAlerts } from '../alerts/api';
import { PUBLIC_ALERT_TEXT, type PublicLanguage } from '../alerts/strings';
import { esc } from '../format';
import { drawPublicRoads } from './public-roads';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

const stored = localStorage.getItem('cad.alerts.lang');
let lang: PublicLanguage = stored === 'zh' || stored === 'en' ? stored : navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
let data: PublicAlerts | null = null;
let failed = false;

const map = L.map($('pa-map'), { center: [37.7749, -122.4194], zoom: 12, maxZoom: 19 });
map.attributionControl.addAttribution('Boundaries: City and County of San Francisco');
const cityLayer = L.layerGroup().addTo(map);
const areas = L.layerGroup().addTo(map);
let fitted = false;
void drawPublicRoads(map);

/** A time in the resident's language, in the city's zone. */
function when(iso: string): string {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { timeZone: 'America/Los_Angeles', dateStyle: 'medium', timeStyle: 'short' });
}

function render(): void {
  const t = PUBLIC_ALERT_TEXT[lang];
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t.title;
  $('pa-title').textContent = t.title;
  $('pa-lang-label').textContent = t.language;
  $('pa-feed').textContent = t.feed;
  $<HTMLSelectElement>('pa-lang').value = lang;
  const list = $('pa-list');
  if (!data) {
    list.innerHTML = failed ? `<li class="pa-empty">${esc(t.loadFailed)}</li>` : '';
    return;
  }
  areas.clearLayers();
  const bounds = L.latLngBounds([]);
  list.innerHTML = data.alerts.length
    ? data.alerts
        .map((a) => {
          const info = infoIn(a.infos, lang);
          if (a.geometry) {
            const g = L.geoJSON(a.geometry, { style: { color: '#d7263d', weight: 2, fillOpacity: 0.15 } }).bindTooltip(esc(info.headline ?? ''));
            g.addTo(areas);
            bounds.extend(g.getBounds());
          }
          return `<li class="pa-alert" data-alert-id="${esc(a.id)}" lang="${esc(info.language)}">
            <h2>${a.msgType === 'Update' ? `<span class="pa-update">${esc(t.update)}</span> ` : ''}${esc(info.headline ?? info.event ?? '')}</h2>
            <p class="pa-area">${esc(a.areaDesc)}</p>
            ${info.description ? `<p>${esc(info.description)}</p>` : ''}
            ${info.instruction ? `<p class="pa-instruction"><b>${esc(t.instruction)}:</b> ${esc(info.instruction)}</p>` : ''}
            <p class="pa-times">${esc(t.issued)} ${esc(when(a.sent))}${a.expires ? ` · ${esc(t.expires)} ${esc(when(a.expires))}` : ''} · <a href="${esc(a.cap)}">CAP</a></p>
          </li>`;
        })
        .join('')
    : `<li class="pa-empty">${esc(t.none)}</li>`;
  if (!fitted && bounds.isValid()) {
    map.fitBounds(bounds.pad(0.3));
    fitted = true;
  }
}

async function load(): Promise<void> {
  try {
    const res = await fetch('/public/alerts.json');
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    data = (await res.json()) as PublicAlerts;
    failed = false;
    if (data.city && !cityLayer.getLayers().length) {
      const city = L.geoJSON(data.city, { style: { color: '#56657a', weight: 1, fill: false }, interactive: false }).addTo(cityLayer);
      if (!fitted) map.fitBounds(city.getBounds());
    }
  } catch {
    failed = true;
  }
  render();
}

$<HTMLSelectElement>('pa-lang').addEventListener('change', (e) => {
  lang = (e.target as HTMLSelectElement).value === 'zh' ? 'zh' : 'en';
  localStorage.setItem('cad.alerts.lang', lang);
  render();
});
render();
void load();
window.setInterval(() => void load(), 30_000);
