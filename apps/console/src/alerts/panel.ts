/**
 * The alert panel of the dispatcher console: the city's alerts (approve, cancel: each one click) and
 * those received from other agencies, a form to write one from a template, and a map layer of the
 * active alerts' areas. Writing, approving and cancelling are offered to city commanders only (the API
 * enforces it too); an Actual alert needs a second commander, so the author sees no Approve button.
 */
import { locale, onLocaleChange, t } from '../i18n';
import L from 'leaflet';
import { currentUser } from '../auth';
import { esc, tierLabel } from '../format';
import type { MapContext } from '../map/base';
import type { Jurisdiction } from '../types';
import { approveAlert, cancelAlert, fetchAlerts, fetchAlertTemplates, writeAlert, type AlertRow, type AlertTemplate } from './api';
import { alertDialogHtml, alertRowHtml, drawBarHtml, LANGS, option } from './dialog-html';
import './alerts.css';
import { addNamedOverlay } from '../map/overlay-names';
import { LatestRead } from '../state/live-read';

/** The incident an alert is written about, as its card's "Warn the public" button carries it. */
export interface IncidentForAlert {
  id: string;
  callNumber: string;
  /** WGS84 degrees. */
  lat: number;
  lon: number;
  address?: string;
  type: string;
  exercise: boolean;
}

/**
 * The alert template an incident's call type suggests (a gas leak → evacuation, a water main break, a
 * flood, a fire's smoke); anything else → shelter in place. Template ids as in `apps/api/src/alerts/templates.ts`.
 */
export function templateForIncidentType(type: string): string {
  if (/gas/i.test(type)) return 'gas-leak-evacuation';
  if (/water main|main break/i.test(type)) return 'water-main-break';
  if (/flood/i.test(type)) return 'flood';
  if (/fire|smoke|explosion/i.test(type)) return 'fire-smoke';
  return 'shelter-in-place';
}

/**
 * Adds the Alerts button and dialog, and the map layer of active alerts (red: the city's, orange:
 * received), refreshed every 30 s and after each action.
 * @param jurisdictions the command chain, for the area picker
 */
export function setUpAlerts(ctx: MapContext, jurisdictions: () => Jurisdiction[], toast: (text: string, error?: boolean) => void): void {
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.id = 'alerts-btn';
  btn.textContent = t('alertsPanel.button');
  btn.title = t('alertsPanel.buttonTitle');
  // Renamed when the language changes (translateDom).
  btn.dataset.i18n = 'alertsPanel.button';
  btn.dataset.i18nTitle = 'alertsPanel.buttonTitle';
  document.querySelector('.toolbar')?.appendChild(btn);
  const dlg = document.createElement('dialog');
  dlg.id = 'alerts-dialog';
  dlg.className = 'dlg alerts-dlg';
  dlg.innerHTML = alertDialogHtml();
  document.body.appendChild(dlg);
  const q = <E extends HTMLElement>(sel: string) => dlg.querySelector<E>(sel)!;
  const layer = L.layerGroup().addTo(ctx.map);
  addNamedOverlay(ctx.control, layer, 'alertsPanel.layer');
  let templates: AlertTemplate[] = [];
  // Drawing an area: the corners clicked on the map, `[lat, lon]`, and the preview line.
  let corners: [number, number][] = [];
  let drawing = false;
  /** Only the latest list read is drawn (an older one may predate an approval or a cancel). */
  const reads = new LatestRead();
  const preview = L.polyline([], { color: '#e5484d', dashArray: '4 4' });
  const bar = document.createElement('div');
  bar.id = 'alert-draw-bar';
  bar.className = 'draw-hint';
  bar.hidden = true;
  bar.innerHTML = drawBarHtml();
  ctx.map.getContainer().parentElement?.appendChild(bar);
  const showCorners = () => {
    const closed = corners.length >= 3;
    q('#alert-poly-count').textContent = closed ? t('alertsPanel.corners', { count: corners.length }) : '';
  };
  const stopDrawing = (keep: boolean) => {
    drawing = false;
    bar.hidden = true;
    preview.remove();
    if (!keep) corners = [];
    showCorners();
    dlg.showModal();
  };
  ctx.map.on('click', (e: L.LeafletMouseEvent) => {
    if (!drawing) return;
    corners.push([Number(e.latlng.lat.toFixed(6)), Number(e.latlng.lng.toFixed(6))]);
    preview.setLatLngs(corners);
  });
  bar.querySelector('#alert-draw-done')!.addEventListener('click', () => stopDrawing(corners.length >= 3));
  bar.querySelector('#alert-draw-cancel')!.addEventListener('click', () => stopDrawing(false));

  const drawLayer = (alerts: AlertRow[]) => {
    layer.clearLayers();
    const now = Date.now();
    for (const a of alerts) {
      if (!a.geometry || a.state !== 'issued' || a.msgType === 'Cancel' || (a.expiresAt && Date.parse(a.expiresAt) < now)) continue;
      const color = a.direction === 'issued' ? '#e5484d' : '#f5a524';
      L.geoJSON(a.geometry, { style: { color, weight: 2, dashArray: a.direction === 'received' ? '6 4' : undefined, fillOpacity: 0.08 }, interactive: false }).addTo(layer);
    }
  };

  const render = async () => {
    try {
      const user = currentUser();
      const commander = user?.role === 'city_commander';
      q<HTMLFormElement>('#alert-form').hidden = !commander;
      const ticket = reads.start();
      const alerts = await fetchAlerts();
      // A later redraw started meanwhile (after an approval) holds the newer list.
      if (!reads.current(ticket)) return;
      drawLayer(alerts);
      const ours = alerts.filter((a) => a.direction === 'issued' && a.state !== 'withdrawn' && a.state !== 'superseded');
      const received = alerts.filter((a) => a.direction === 'received' && a.state === 'issued');
      const none = `<li class="muted">${esc(t('alertsPanel.none'))}</li>`;
      q('#alerts-ours').innerHTML = ours.length ? ours.slice(0, 30).map((a) => alertRowHtml(a, user?.username, commander)).join('') : none;
      q('#alerts-received').innerHTML = received.length ? received.slice(0, 30).map((a) => alertRowHtml(a, user?.username, commander)).join('') : none;
    } catch (err) {
      q('#alerts-ours').textContent = (err as Error).message;
    }
  };

  const fillTemplate = () => {
    const t = templates.find((x) => x.id === q<HTMLSelectElement>('#alert-template').value);
    if (!t) return;
    q<HTMLInputElement>('#alert-hours').value = String(t.hours);
    for (const [lang] of LANGS) {
      const words = t.text[lang];
      q<HTMLInputElement>(`#alert-headline-${lang}`).value = words?.headline ?? '';
      q<HTMLTextAreaElement>(`#alert-description-${lang}`).value = words?.description ?? '';
      q<HTMLTextAreaElement>(`#alert-instruction-${lang}`).value = words?.instruction ?? '';
    }
  };

  /** Names each template in the viewer's language (its event in that language when it has one), keeping the choice. */
  const nameTemplates = () => {
    const select = q<HTMLSelectElement>('#alert-template');
    const chosen = select.value;
    const lang = locale().startsWith('zh') ? 'zh-CN' : 'en-US';
    select.innerHTML = templates.map((x) => `<option value="${esc(x.id)}">${esc(x.text[lang]?.event || x.event)}</option>`).join('');
    if (chosen) select.value = chosen;
  };

  /** The incident the alert being written is about (opened from an incident's card), else null. */
  let fromIncident: string | null = null;
  const setAreaKind = (kind: string) => {
    q<HTMLSelectElement>('#alert-area-kind').value = kind;
    q('#alert-circle-row').hidden = kind !== 'circle';
    q('#alert-polygon-row').hidden = kind !== 'polygon';
    q('#alert-juris-row').hidden = kind !== 'jurisdiction';
  };

  const openDialog = async (about?: IncidentForAlert) => {
    if (!templates.length) {
      try {
        templates = await fetchAlertTemplates();
        nameTemplates();
        fillTemplate();
      } catch (err) {
        toast((err as Error).message, true);
      }
    }
    const js = jurisdictions().filter((j) => j.level !== 'street');
    // No area is chosen for the writer: a whole-city alert is never the default.
    q('#alert-juris').innerHTML = option('', 'alertsPanel.areaChoose') + js.map((j) => `<option value="${esc(j.id)}">${esc(j.name)} (${esc(tierLabel(j.level))})</option>`).join('');
    const c = ctx.map.getCenter();
    q<HTMLInputElement>('#alert-lat').value = (about?.lat ?? c.lat).toFixed(5);
    q<HTMLInputElement>('#alert-lon').value = (about?.lon ?? c.lng).toFixed(5);
    fromIncident = about?.id ?? null;
    const note = q('#alert-incident');
    note.hidden = !about;
    note.textContent = about ? t('alertsPanel.fromIncident', { incident: about.callNumber || about.id.slice(0, 8), type: about.type }) : '';
    if (about) {
      // From an incident: a circle of 500 m around it, the place as its address, the template its type suggests.
      setAreaKind('circle');
      q<HTMLInputElement>('#alert-radius').value = '0.5';
      q<HTMLInputElement>('#alert-area-desc').value = about.address ?? '';
      const id = templateForIncidentType(about.type);
      if (templates.some((x) => x.id === id)) {
        q<HTMLSelectElement>('#alert-template').value = id;
        fillTemplate();
      }
      q<HTMLSelectElement>('#alert-status').value = about.exercise ? 'Exercise' : 'Actual';
    }
    await render();
    dlg.showModal();
  };

  const body = () => {
    const t = templates.find((x) => x.id === q<HTMLSelectElement>('#alert-template').value)!;
    const kind = q<HTMLSelectElement>('#alert-area-kind').value;
    const areaDesc = q<HTMLInputElement>('#alert-area-desc').value.trim() || undefined;
    const area =
      kind === 'circle'
        ? { areaDesc, circle: { lat: Number(q<HTMLInputElement>('#alert-lat').value), lon: Number(q<HTMLInputElement>('#alert-lon').value), radiusKm: Number(q<HTMLInputElement>('#alert-radius').value) } }
        : kind === 'polygon'
          ? // CAP polygons are closed: the first corner again ends the ring.
            { areaDesc, polygon: corners.length ? [...corners, corners[0]] : [] }
          : { areaDesc, jurisdictionId: q<HTMLSelectElement>('#alert-juris').value };
    const infos = LANGS.map(([language]) => ({
      language,
      event: t.text[language]?.event,
      headline: q<HTMLInputElement>(`#alert-headline-${language}`).value.trim(),
      description: q<HTMLTextAreaElement>(`#alert-description-${language}`).value.trim() || undefined,
      instruction: q<HTMLTextAreaElement>(`#alert-instruction-${language}`).value.trim() || undefined,
    })).filter((i) => i.headline);
    return {
      status: q<HTMLSelectElement>('#alert-status').value,
      template: t.id,
      category: t.category,
      event: t.event,
      responseType: t.responseType,
      urgency: t.urgency,
      severity: t.severity,
      certainty: t.certainty,
      expires: new Date(Date.now() + Number(q<HTMLInputElement>('#alert-hours').value || t.hours) * 3600_000).toISOString(),
      area,
      infos,
      incidentId: fromIncident ?? undefined,
    };
  };

  q('#alert-template').addEventListener('change', fillTemplate);
  q('#alert-area-kind').addEventListener('change', () => setAreaKind(q<HTMLSelectElement>('#alert-area-kind').value));
  q('#alert-draw').addEventListener('click', () => {
    corners = [];
    preview.setLatLngs([]).addTo(ctx.map);
    drawing = true;
    bar.hidden = false;
    dlg.close();
  });
  q('#alert-form').addEventListener('submit', (e) => {
    e.preventDefault();
    q('#alert-error').textContent = '';
    const b = body();
    if ('jurisdictionId' in b.area && !b.area.jurisdictionId) {
      q('#alert-error').textContent = t('alertsPanel.chooseArea');
      return;
    }
    writeAlert(b)
      .then(() => {
        fromIncident = null;
        q('#alert-incident').hidden = true;
        toast(t(b.status === 'Exercise' ? 'alertsPanel.writtenExercise' : 'alertsPanel.written'));
        return render();
      })
      .catch((err: Error) => (q('#alert-error').textContent = err.message));
  });
  dlg.addEventListener('click', (e) => {
    const el = e.target as HTMLElement;
    if (el.dataset.approve) {
      approveAlert(el.dataset.approve)
        .then(() => (toast(t('alertsPanel.issued')), render()))
        .catch((err: Error) => toast(err.message, true));
    }
    if (el.dataset.cancel) {
      cancelAlert(el.dataset.cancel)
        .then(() => (toast(t('alertsPanel.cancelled')), render()))
        .catch((err: Error) => toast(err.message, true));
    }
  });
  q('#alerts-close').addEventListener('click', () => dlg.close());
  btn.addEventListener('click', () => void openDialog());
  // "Warn the public" on an incident's card (city commanders): the form opened about that incident.
  document.addEventListener('click', (e) => {
    const b = (e.target as HTMLElement).closest<HTMLElement>('[data-alert-incident]');
    if (!b) return;
    const d = b.dataset;
    void openDialog({ id: d.alertIncident!, callNumber: d.callNumber ?? '', lat: Number(d.lat), lon: Number(d.lon), address: d.address || undefined, type: d.type ?? '', exercise: d.exercise === '1' });
  });
  // The static words are worded again by `translateDom`; the lists, the corners and the templates here.
  onLocaleChange(() => {
    showCorners();
    nameTemplates();
    void render();
  });
  void render();
  window.setInterval(() => void render(), 30_000);
}
