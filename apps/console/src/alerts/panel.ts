/**
 * The alert panel of the dispatcher console: the city's alerts (approve, cancel: each one click) and
 * those received from other agencies, a form to write one from a template, and a map layer of the
 * active alerts' areas. Writing, approving and cancelling are offered to city commanders only (the API
 * enforces it too); an Actual alert needs a second commander, so the author sees no Approve button.
 */
import { t } from '../i18n';
import L from 'leaflet';
import { currentUser } from '../auth';
import { esc } from '../format';
import type { MapContext } from '../map/base';
import type { Jurisdiction } from '../types';
import { approveAlert, cancelAlert, fetchAlerts, fetchAlertTemplates, infoIn, writeAlert, type AlertRow, type AlertTemplate } from './api';
import { ALERT_PANEL_TEXT as T } from './strings';
import './alerts.css';
import { addNamedOverlay } from '../map/overlay-names';

/** Languages the form writes, with the label of each. */
const LANGS: [string, string][] = [
  ['en-US', T.english],
  ['zh-CN', T.chinese],
];

function formHtml(): string {
  const texts = LANGS.map(
    ([lang, label]) => `<fieldset class="alert-lang" data-lang="${lang}"><legend>${esc(label)} (${lang})</legend>
      <label>${esc(T.headline)} <input id="alert-headline-${lang}" maxlength="160" /></label>
      <label>${esc(T.description)} <textarea id="alert-description-${lang}" rows="2" maxlength="4000"></textarea></label>
      <label>${esc(T.instruction)} <textarea id="alert-instruction-${lang}" rows="2" maxlength="4000"></textarea></label></fieldset>`,
  ).join('');
  return `<form id="alert-form" class="alert-form">
    <h4>${esc(T.write)}</h4>
    <div class="row2">
      <label>${esc(T.template)} <select id="alert-template"></select></label>
      <label>${esc(T.status)} <select id="alert-status"><option value="Actual">${esc(T.statusActual)}</option><option value="Exercise">${esc(T.statusExercise)}</option></select></label>
    </div>
    <div class="row2">
      <label>${esc(T.area)} <select id="alert-area-kind"><option value="jurisdiction">${esc(T.areaJurisdiction)}</option><option value="circle">${esc(T.areaCircle)}</option><option value="polygon">${esc(T.areaPolygon)}</option></select></label>
      <label>${esc(T.hours)} <input id="alert-hours" type="number" min="1" max="72" value="4" /></label>
    </div>
    <label id="alert-juris-row">${esc(T.areaJurisdiction)} <select id="alert-juris"></select></label>
    <div id="alert-circle-row" class="row2" hidden>
      <label>${esc(T.lat)} <input id="alert-lat" inputmode="decimal" /></label>
      <label>${esc(T.lon)} <input id="alert-lon" inputmode="decimal" /></label>
      <label>${esc(T.radius)} <input id="alert-radius" inputmode="decimal" value="0.5" /></label>
    </div>
    <div id="alert-polygon-row" class="row2" hidden>
      <button type="button" id="alert-draw">${esc(T.draw)}</button> <span id="alert-poly-count" class="muted small"></span>
    </div>
    <label>${esc(T.areaDesc)} <input id="alert-area-desc" maxlength="300" /></label>
    <p id="alert-incident" class="muted small" hidden></p>
    ${texts}
    <p id="alert-error" class="error" role="alert"></p>
    <div class="actions"><button type="submit" id="alert-submit" class="primary">${esc(T.submit)}</button></div>
  </form>`;
}

/** One row of the list, with the actions this user may take on it. */
function rowHtml(a: AlertRow, me: string | undefined, commander: boolean): string {
  const info = infoIn(a.infos, 'en');
  const actions: string[] = [];
  if (commander && a.direction === 'issued') {
    const twoPerson = a.status === 'Actual' && a.author === me;
    if (a.state === 'pending' && !twoPerson) actions.push(`<button type="button" data-approve="${esc(a.id)}">${esc(T.approve)}</button>`);
    if (a.state === 'pending') actions.push(`<button type="button" data-cancel="${esc(a.id)}">${esc(T.withdraw)}</button>`);
    if (a.state === 'issued' && a.msgType !== 'Cancel') actions.push(`<button type="button" class="danger" data-cancel="${esc(a.id)}">${esc(T.cancel)}</button>`);
  }
  const who = a.direction === 'issued' ? ` · ${esc(T.by)} ${esc(a.author ?? '')}${a.approver ? ` · ${esc(T.approvedBy)} ${esc(a.approver)}` : ''}` : ` · ${esc(a.sender)}`;
  return `<li class="alert-row" data-alert-id="${esc(a.id)}" data-state="${esc(a.state)}">
    <b>${esc(T.state[a.state] ?? a.state)}</b> ${a.status !== 'Actual' ? `<span class="ex-tag">${esc(a.status.toUpperCase())}</span>` : ''} ${esc(a.msgType)}
    <div>${esc(info.headline ?? info.event ?? '')}</div>
    <div class="muted small">${esc(a.areaDesc)}${who}</div>
    <div class="alert-actions">${actions.join(' ')}</div></li>`;
}

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
  dlg.innerHTML = `<h3>${esc(T.title)}</h3>
    <h4>${esc(T.ours)}</h4><ul id="alerts-ours" class="alert-list"></ul>
    <h4>${esc(T.received)}</h4><ul id="alerts-received" class="alert-list"></ul>
    ${formHtml()}
    <div class="actions"><button type="button" id="alerts-close">${esc(T.close)}</button></div>`;
  document.body.appendChild(dlg);
  const q = <E extends HTMLElement>(sel: string) => dlg.querySelector<E>(sel)!;
  const layer = L.layerGroup().addTo(ctx.map);
  addNamedOverlay(ctx.control, layer, 'alertsPanel.layer');
  let templates: AlertTemplate[] = [];
  // Drawing an area: the corners clicked on the map, `[lat, lon]`, and the preview line.
  let corners: [number, number][] = [];
  let drawing = false;
  const preview = L.polyline([], { color: '#e5484d', dashArray: '4 4' });
  const bar = document.createElement('div');
  bar.id = 'alert-draw-bar';
  bar.className = 'draw-hint';
  bar.hidden = true;
  bar.innerHTML = `${esc(T.drawHint)} <button type="button" id="alert-draw-done">${esc(T.drawDone)}</button> <button type="button" id="alert-draw-cancel">${esc(T.drawCancel)}</button>`;
  ctx.map.getContainer().parentElement?.appendChild(bar);
  const showCorners = () => {
    const closed = corners.length >= 3;
    q('#alert-poly-count').textContent = closed ? T.corners(corners.length) : '';
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
      const alerts = await fetchAlerts();
      drawLayer(alerts);
      const ours = alerts.filter((a) => a.direction === 'issued' && a.state !== 'withdrawn' && a.state !== 'superseded');
      const received = alerts.filter((a) => a.direction === 'received' && a.state === 'issued');
      q('#alerts-ours').innerHTML = ours.length ? ours.slice(0, 30).map((a) => rowHtml(a, user?.username, commander)).join('') : `<li class="muted">${esc(T.none)}</li>`;
      q('#alerts-received').innerHTML = received.length ? received.slice(0, 30).map((a) => rowHtml(a, user?.username, commander)).join('') : `<li class="muted">${esc(T.none)}</li>`;
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
        q('#alert-template').innerHTML = templates.map((t) => `<option value="${esc(t.id)}">${esc(t.event)}</option>`).join('');
        fillTemplate();
      } catch (err) {
        toast((err as Error).message, true);
      }
    }
    const js = jurisdictions().filter((j) => j.level !== 'street');
    // No area is chosen for the writer: a whole-city alert is never the default.
    q('#alert-juris').innerHTML = `<option value="">${esc(T.areaChoose)}</option>` + js.map((j) => `<option value="${esc(j.id)}">${esc(j.name)} (${esc(j.level)})</option>`).join('');
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
      q('#alert-error').textContent = T.chooseArea;
      return;
    }
    writeAlert(b)
      .then(() => {
        fromIncident = null;
        q('#alert-incident').hidden = true;
        toast(b.status === 'Exercise' ? T.writtenExercise : T.written);
        return render();
      })
      .catch((err: Error) => (q('#alert-error').textContent = err.message));
  });
  dlg.addEventListener('click', (e) => {
    const t = e.target as HTMLElement;
    if (t.dataset.approve) {
      approveAlert(t.dataset.approve)
        .then(() => (toast(T.issued), render()))
        .catch((err: Error) => toast(err.message, true));
    }
    if (t.dataset.cancel) {
      cancelAlert(t.dataset.cancel)
        .then(() => (toast(T.cancelled), render()))
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
  void render();
  window.setInterval(() => void render(), 30_000);
}
