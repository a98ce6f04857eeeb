/** Incident list: open incidents sorted by priority then age, with ticking mm:ss ages and assigned units. */
import { nowFor } from '../clock';
import { esc, eta, label, mmss, typeLabel } from '../format';
import type { Incident } from '../types';

/** Sort key: priority ascending, then oldest (largest age) first. */
export function sortIncidents(list: Incident[]): Incident[] {
  const age = (i: Incident): number => nowFor(i.exercise) - Date.parse(i.receivedAt);
  return [...list].sort((a, b) => a.priority - b.priority || age(b) - age(a) || a.id.localeCompare(b.id));
}

function unitsHtml(inc: Incident): string {
  const active = inc.assignments.filter((a) => a.status !== 'cleared');
  if (!active.length) return '<span class="unassigned-tag">UNASSIGNED</span>';
  return active
    .map((a) => {
      const moving = a.status === 'dispatched' || a.status === 'en_route';
      return `<span class="asg status-${esc(a.status)}" title="${esc(a.capability)} · ${esc(label(a.status))}">${esc(
        a.callsign,
      )}${moving ? ` <small>${eta(a.etaSeconds)}</small>` : a.status === 'on_scene' ? ' <small>OS</small>' : ''}</span>`;
    })
    .join('');
}

/** Re-render the whole incident list into `el`. */
export function renderIncidentList(el: HTMLElement, incidents: Map<string, Incident>): void {
  const sorted = sortIncidents([...incidents.values()]);
  if (!sorted.length) {
    el.innerHTML = '<li class="empty">No open incidents</li>';
    return;
  }
  el.innerHTML = sorted
    .map((inc) => {
      const received = Date.parse(inc.receivedAt);
      const juris = [inc.street?.name, inc.district?.name].filter(Boolean).join(' · ');
      return `<li class="incident-row p${inc.priority}" data-incident-id="${esc(inc.id)}" tabindex="0">
  <span class="chip p${inc.priority}">P${inc.priority}</span>
  <div class="inc-main">
    <div class="inc-l1"><span class="inc-type">${esc(typeLabel(inc.type))}</span>${
      inc.exercise ? '<span class="ex-tag" title="Exercise incident">EX</span>' : ''
    }<span class="inc-status">${esc(label(inc.status))}</span><span class="age" data-received="${received}" data-exercise="${
      inc.exercise ? 1 : 0
    }">${mmss(nowFor(inc.exercise) - received)}</span></div>
    <div class="inc-addr">${esc(inc.address ?? `${inc.lat.toFixed(5)}, ${inc.lon.toFixed(5)}`)}</div>
    <div class="inc-juris">${juris ? esc(juris) : '<span class="muted">no jurisdiction</span>'}${
      inc.outsideBoundary ? ' <span class="warn">outside boundary</span>' : ''
    }</div>
    <div class="inc-units">${unitsHtml(inc)}</div>
  </div>
</li>`;
    })
    .join('');
}

/** Update every age cell in place (called each second; no re-render). */
export function tickAges(el: HTMLElement): void {
  el.querySelectorAll<HTMLElement>('.age').forEach((cell) => {
    const received = Number(cell.dataset.received);
    if (!Number.isFinite(received)) return;
    cell.textContent = mmss(nowFor(cell.dataset.exercise === '1') - received);
  });
}
