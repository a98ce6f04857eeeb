/**
 * Incident queues: pending (no unit working it yet) and active (at least one unit assigned), each
 * sorted by priority then age, with ticking mm:ss ages, assigned units and the EXERCISE tag.
 */
import { nowFor } from '../clock';
import { bdi, capabilityLabel, esc, etaNowText, etaOfSpan, etaSpan, label, lastErrorText, mmss, placeName, tierLabel, typeLabel } from '../format';
import { num, t } from '../i18n';
import type { Incident, Unit } from '../types';
import { MOVING_STATUSES } from '../types';
import { awaitsDispatchConfirmation } from './reopen-ask';

/** Sort key: live incidents always above exercise ones, then priority ascending, then oldest (largest age) first. */
export function sortIncidents(list: Incident[]): Incident[] {
  const age = (i: Incident): number => nowFor(i.exercise, i.drillId) - Date.parse(i.receivedAt);
  return [...list].sort((a, b) => Number(a.exercise) - Number(b.exercise) || a.priority - b.priority || age(b) - age(a) || a.id.localeCompare(b.id));
}

/** Which queue an incident belongs in: pending (no unit working it), active, or resolved (to close). */
export function queueOf(inc: Incident): 'pending' | 'active' | 'resolved' {
  if (inc.status === 'resolved') return 'resolved';
  return inc.assignments.some((a) => a.status !== 'cleared') ? 'active' : 'pending';
}

/** Which incidents the dispatcher wants to see. Empty strings mean "any". */
export interface IncidentFilter {
  tier: string;
  jurisdictionId: string;
}

/** Whether an incident passes the tier and jurisdiction filters. */
export function matchesFilter(inc: Incident, f: IncidentFilter): boolean {
  if (f.tier && (inc.commandingTier ?? 'street') !== f.tier) return false;
  if (f.jurisdictionId) {
    const ids = [inc.street?.id, inc.district?.id, inc.commandingJurisdiction?.id];
    if (!ids.includes(f.jurisdictionId)) return false;
  }
  return true;
}

/**
 * The units the map shows under a jurisdiction filter: those based in the jurisdiction (their home
 * street, or a street of the district), plus any unit working one of the incidents shown (a unit
 * lent from elsewhere stays visible on its task). Without a jurisdiction filter, every unit.
 * @param parentOf a street id's district id
 */
export function unitsShown(units: Map<string, Unit>, shownIncidents: Map<string, Incident>, f: IncidentFilter, parentOf: (id: string) => string | null): Map<string, Unit> {
  if (!f.jurisdictionId) return units;
  const working = new Set<string>();
  for (const inc of shownIncidents.values()) for (const a of inc.assignments) if (a.status !== 'cleared') working.add(a.unitId);
  const out = new Map<string, Unit>();
  for (const [id, u] of units) {
    const street = u.homeStreetId ?? null;
    if (working.has(id) || (street && (street === f.jurisdictionId || parentOf(street) === f.jurisdictionId))) out.set(id, u);
  }
  return out;
}

function unitsHtml(inc: Incident): string {
  const active = inc.assignments.filter((a) => a.status !== 'cleared');
  const now = nowFor(inc.exercise, inc.drillId);
  if (!active.length) {
    // Only an open incident waiting for units is unassigned; a resolved one had its units and they cleared.
    return queueOf(inc) === 'pending' ? `<span class="unassigned-tag">${esc(t('queue.unassignedTag'))}</span>` : `<span class="cleared-tag">${esc(t('queue.allCleared'))}</span>`;
  }
  return active
    .map((a) => {
      const moving = MOVING_STATUSES.has(a.status);
      return `<span class="asg status-${esc(a.status)}" data-unit-id="${esc(a.unitId)}" title="${esc(capabilityLabel(a.capability))} · ${esc(
        label(a.status),
      )}">${esc(a.callsign)}${moving ? ` <small>${etaSpan(a, inc, 'short', now)}</small>` : ` <small>${esc(shortStatus(a.status))}</small>`}</span>`;
    })
    .join('');
}

/** The short status shown beside a callsign in a queue row (`OS`, `ACK` / 到场, 确认). */
function shortStatus(s: string): string {
  return ['on_scene', 'transporting', 'at_hospital', 'acknowledged'].includes(s) ? t(`queue.short.${s}`) : label(s);
}

function rowHtml(inc: Incident, selected: boolean): string {
  const received = Date.parse(inc.receivedAt);
  const juris = [inc.street?.name, inc.district?.name].filter(Boolean).map((n) => bdi(placeName(n))).join(' · ');
  const tier = inc.commandingTier && inc.commandingTier !== 'street' ? `<span class="tier-tag">${esc(tierLabel(inc.commandingTier))}</span>` : '';
  // Held for a dispatcher (automatic dispatch stopped): the row says so, and why on hover.
  const held =
    inc.autoDispatch === false
      ? `<span class="held-tag" title="${esc(awaitsDispatchConfirmation(inc) ? t('reopen.askWhy') : (lastErrorText(inc) ?? t('queue.heldTitle')))}">${esc(t('queue.heldTag'))}</span>`
      : '';
  return `<li class="incident-row p${inc.priority}${selected ? ' selected' : ''}${inc.exercise ? ' exercise' : ''}${inc.autoDispatch === false ? ' held' : ''}" data-incident-id="${esc(
    inc.id,
  )}" tabindex="0" aria-selected="${selected}">
  <span class="chip p${inc.priority}">P${inc.priority}</span>
  <div class="inc-main">
    <div class="inc-l1"><span class="inc-type">${bdi(typeLabel(inc.type))}</span>${
      inc.exercise ? `<span class="ex-tag" title="${esc(t('queue.exerciseTitle'))}">${esc(t('common.exercise'))}</span>` : ''
    }${tier}${held}<span class="inc-status">${esc(label(inc.status))}</span><span class="age" data-received="${received}" data-exercise="${
      inc.exercise ? 1 : 0
    }" data-drill="${esc(inc.drillId ?? '')}">${mmss(nowFor(inc.exercise, inc.drillId) - received)}</span></div>
    <div class="inc-addr">${bdi(inc.address ?? `${inc.lat.toFixed(5)}, ${inc.lon.toFixed(5)}`)}</div>
    <div class="inc-juris">${juris || `<span class="muted">${esc(t('common.noJurisdiction'))}</span>`}${
      inc.outsideBoundary ? ` <span class="warn">${esc(t('common.outsideBoundary'))}</span>` : ''
    }</div>
    <div class="inc-units">${unitsHtml(inc)}</div>
  </div>
</li>`;
}

/** List and count elements of each queue. */
export type QueueEls = Record<'pending' | 'active' | 'resolved', { list: HTMLElement; count: HTMLElement }>;

/** Rows drawn per queue (the count shows the full number). */
const MAX_ROWS = 150;

/**
 * Re-renders the three queues. Answers the ids in display order (pending, active, resolved), which is
 * the order J/K move the selection through.
 */
export function renderQueues(els: QueueEls, incidents: Map<string, Incident>, filter: IncidentFilter, selectedId: string | null): string[] {
  const visible = sortIncidents([...incidents.values()].filter((i) => matchesFilter(i, filter)));
  const order: string[] = [];
  for (const q of ['pending', 'active', 'resolved'] as const) {
    const all = visible.filter((i) => queueOf(i) === q);
    const list = all.slice(0, MAX_ROWS);
    // Rows past MAX_ROWS are not drawn, but never silently: the last row says how many more wait.
    const more = all.length > list.length ? `<li class="empty more">${esc(t('queue.more', { more: num(all.length - list.length), queue: t(`queue.${q}`), shown: num(list.length), total: num(all.length) }))}</li>` : '';
    els[q].list.innerHTML = list.length ? list.map((i) => rowHtml(i, i.id === selectedId)).join('') + more : `<li class="empty">${esc(t(`queue.empty.${q}`))}</li>`;
    els[q].count.textContent = num(all.length);
    order.push(...list.map((i) => i.id));
  }
  return order;
}

/** Update every age cell under `root` in place (called each second; no re-render). */
export function tickAges(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('.age').forEach((cell) => {
    const received = Number(cell.dataset.received);
    if (!Number.isFinite(received)) return;
    cell.textContent = mmss(nowFor(cell.dataset.exercise === '1', cell.dataset.drill) - received);
  });
}

/**
 * Counts every task ETA drawn with `etaSpan` under `root` down to now, on its incident's clock (the
 * queue rows' and the card's alike: one figure for one task wherever it shows).
 */
export function tickEtas(root: HTMLElement): void {
  root.querySelectorAll<HTMLElement>('.eta-left').forEach((span) => {
    const text = etaNowText(etaOfSpan(span), nowFor(span.dataset.exercise === '1', span.dataset.drill), span.dataset.form === 'short' ? 'short' : 'line');
    if (span.textContent !== text) span.textContent = text;
  });
}
