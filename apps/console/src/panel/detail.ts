/**
 * Incident detail card over the map: what, where, who commands it, linked calls, units with status,
 * recommendations with reasons (accept / override), the timeline, and the incident commands.
 * Parts whose endpoint the server does not offer are left out (see `Features`).
 */
import { nowFor } from '../clock';
import { esc, eta, hms, label, mmss, typeLabel } from '../format';
import type { Features } from '../features';
import type { CadEvent, Incident, Recommendations, Unit } from '../types';

/** What the card shows beyond the incident itself. `undefined` = still loading. */
export interface DetailExtras {
  timeline: CadEvent[] | undefined;
  recommendations: Recommendations | null | undefined;
  units: Map<string, Unit>;
  features: Features;
}

/** One line of timeline text for an event. */
export function describeEvent(ev: CadEvent, units: Map<string, Unit>): string {
  const p = (ev.payload ?? {}) as Record<string, unknown>;
  const callsign = (id: unknown) => (typeof id === 'string' ? (units.get(id)?.callsign ?? id) : '');
  switch (ev.type) {
    case 'incident.created': {
      const inc = p as Partial<Incident>;
      return `Incident created: P${inc.priority ?? '?'} ${typeLabel(String(inc.type ?? ''))}${inc.street?.name ? ` in ${inc.street.name}` : ''}`;
    }
    case 'incident.updated':
      return `Incident ${label(String((p as Partial<Incident>).status ?? 'updated'))}`;
    case 'assignment.created': {
      const a = (p.assignment ?? {}) as Record<string, unknown>;
      return `${callsign(a.unitId)} dispatched (${String(a.capability ?? '')}, ETA ${eta(a.etaSeconds as number)})`;
    }
    case 'assignment.updated': {
      const a = (p.assignment ?? {}) as Record<string, unknown>;
      return `${callsign(a.unitId)} ${label(String(a.status ?? ''))}${p.detail ? `: ${String(p.detail)}` : ''}`;
    }
    case 'unit.status':
      return `${callsign(p.unitId ?? ev.unitId)} is ${label(String(p.status ?? ''))}`;
    case 'call.linked':
      return `Call ${String(p.callNumber ?? p.callId ?? '')} linked as a duplicate (${String(p.metres ?? '?')} m away)`;
    case 'call.unlinked':
      return `Call ${String(p.callId ?? '')} unlinked to its own incident`;
    case 'incident.merged':
      return ev.incidentId === p.into
        ? `Incident ${String(p.fromCallNumber ?? String(p.from ?? '').slice(0, 8))} merged into this one (${plural((p.units as unknown[] | undefined)?.length ?? 0, 'unit')}, ${plural((p.calls as unknown[] | undefined)?.length ?? 0, 'call')}): ${String(p.reason ?? '')}`
        : `Merged into incident ${String(p.into ?? '').slice(0, 8)}: ${String(p.reason ?? '')}`;
    case 'call.suggested_link':
      return `Possible duplicate nearby: ${String(p.otherType ?? '')} ${String(p.metres ?? '?')} m away`;
    case 'incident.escalated':
    case 'incident.deescalated':
      return `${ev.type === 'incident.escalated' ? 'Escalated' : 'De-escalated'} ${String(p.fromTier ?? '')} → ${String(p.toTier ?? '')}${
        p.reason ? `: ${String(p.reason)}` : ''
      }${p.detail ? ` — ${String(p.detail)}` : ''}`;
    case 'assignment.late_report':
      return `${callsign(ev.unitId)} late report: ${label(String(p.reported ?? ''))} at ${hms(Date.parse(String(p.reportedAt)))} (kept ${label(
        String(p.current ?? ''),
      )})`;
    default: {
      const reason = typeof p.reason === 'string' ? `: ${p.reason}` : '';
      return `${label(ev.type.replace(/\./g, ' '))}${reason}`;
    }
  }
}

function button(cmd: string, key: string, text: string, shown: boolean, cls = ''): string {
  return shown ? `<button type="button" class="${cls}" data-cmd="${cmd}" title="${esc(text)} (${key})"><kbd>${key}</kbd> ${esc(text)}</button>` : '';
}

/** Renders the card for `inc` into `el` (or hides it when `inc` is undefined). */
export function renderDetail(el: HTMLElement, inc: Incident | undefined, x: DetailExtras): void {
  if (!inc) {
    el.hidden = true;
    el.innerHTML = '';
    return;
  }
  el.hidden = false;
  el.dataset.incidentId = inc.id;
  const f = x.features;
  const received = Date.parse(inc.receivedAt);
  const tier = inc.commandingTier ?? 'street';
  const units = inc.assignments
    .map(
      (a) =>
        `<li class="asg-line status-${esc(a.status)}" data-assignment-id="${esc(a.id)}" data-unit-id="${esc(a.unitId)}"><b>${esc(
          a.callsign,
        )}</b> <span class="muted">${esc(a.capability)}</span> <span class="asg-status">${esc(
          a.releasedReason === 'not_acknowledged' ? (inc.assignments.some((b) => b.replacesId === a.id) ? 'no ack · replaced' : 'no ack · not replaced') : label(a.status),
        )}</span>${
          a.status === 'dispatched' || a.status === 'en_route' ? ` <span class="muted">ETA ${eta(a.etaSeconds)}</span>` : ''
        }</li>`,
    )
    .join('');
  const calls = (inc.calls ?? [])
    .map(
      (c) =>
        `<li>${esc(c.callNumber ?? c.id)} · ${esc(hms(Date.parse(c.receivedAt)))} · ${esc(c.type)}${c.address ? ` · ${esc(c.address)}` : ''}${
          f.unlink && c.linked ? ` <button type="button" class="small" data-cmd="unlink" data-call-id="${esc(c.id)}">Unlink</button>` : ''
        }</li>`,
    )
    .join('');
  const suggested = (inc.suggestedLinks ?? [])
    .map((s) => `<li class="muted">possible duplicate: ${esc(s.callNumber ?? s.id)} · ${esc(s.type)}${s.address ? ` · ${esc(s.address)}` : ''}</li>`)
    .join('');
  const notes = (inc.calls ?? []).map((c) => c.notes).filter(Boolean).join('\n');
  const escalations = (inc.escalations ?? [])
    .map((e) => `<li>${esc(hms(Date.parse(e.at)))} ${esc(e.fromTier)} → <b>${esc(e.toTier)}</b>: ${esc(e.reason)}${e.detail ? ` <span class="muted">${esc(e.detail)}</span>` : ''}</li>`)
    .join('');

  let recs = '';
  if (f.recommendations) {
    const slots = x.recommendations?.slots ?? [];
    const rows = slots
      .map((s) => {
        const u = s.unitId ? x.units.get(s.unitId) : undefined;
        return `<li class="rec" data-unit-id="${esc(s.unitId ?? '')}"><b>${esc(s.capability)}</b> → ${
          s.unitId ? `<b>${esc(u?.callsign ?? s.unitId)}</b> ETA ${eta(s.etaSeconds)}` : '<span class="warn">no unit</span>'
        } <span class="muted">${esc(s.reason)}</span>${
          s.unitId ? ` <button type="button" class="small" data-cmd="override" data-unit-id="${esc(s.unitId)}" data-capability="${esc(s.capability)}">Override</button>` : ''
        }</li>`;
      })
      .join('');
    recs = `<h4>Recommendation</h4>${
      x.recommendations === undefined
        ? '<p class="muted">loading…</p>'
        : rows
          ? `<ul class="recs">${rows}</ul>${button('accept', 'A', 'Accept recommendation', true, 'primary')}`
          : '<p class="muted">nothing to recommend</p>'
    }`;
  }

  let timeline = '';
  if (f.timeline) {
    timeline = `<h4>Timeline</h4>${
      x.timeline === undefined
        ? '<p class="muted">loading…</p>'
        : `<ol class="timeline">${x.timeline
            .map((ev) => `<li data-seq="${ev.seq}"><span class="t">${esc(hms(Date.parse(ev.at)))}</span> ${esc(describeEvent(ev, x.units))}</li>`)
            .join('')}</ol>`
    }`;
  }

  el.innerHTML = `<div class="detail-head">
  <span class="chip p${inc.priority}">P${inc.priority}</span>
  <b class="detail-type">${esc(typeLabel(inc.type))}</b>
  ${inc.exercise ? '<span class="ex-tag">EXERCISE</span>' : ''}
  <span class="spacer"></span>
  <span class="age" data-received="${received}" data-exercise="${inc.exercise ? 1 : 0}">${mmss(nowFor(inc.exercise) - received)}</span>
  <button type="button" class="small" data-cmd="deselect" title="Close (Esc)">✕</button>
</div>
<div>${esc(inc.address ?? `${inc.lat.toFixed(5)}, ${inc.lon.toFixed(5)}`)}</div>
<div class="muted">${esc([inc.street?.name, inc.district?.name].filter(Boolean).join(' · ') || 'no jurisdiction')}${
    inc.outsideBoundary ? ' <span class="warn">outside boundary</span>' : ''
  }</div>
<div class="muted">${esc(inc.callNumber ?? inc.id)} · <span class="detail-status">${esc(label(inc.status))}</span> · commanded by <b class="detail-tier">${esc(
    tier,
  )}</b> tier${inc.commandingJurisdiction ? ` (${esc(inc.commandingJurisdiction.name)})` : ''}</div>
${notes ? `<p class="notes">${esc(notes)}</p>` : ''}
${
  inc.autoDispatch === false
    ? `<p class="warn dispatch-hold">Held for you: ${esc(inc.lastError ?? 'crews did not acknowledge')}. Accept the recommendation (A) or Override it with a unit of your choice.</p>`
    : inc.lastError && (inc.status === 'received' || inc.status === 'dispatched')
      ? `<p class="warn dispatch-note">${esc(inc.lastError)}</p>`
      : ''
}
<h4>Units</h4><ul class="detail-units">${units || '<li class="muted">no units assigned</li>'}</ul>
${recs}
${calls || suggested ? `<h4>Calls</h4><ul class="calls">${calls}${suggested}</ul>` : ''}
${escalations ? `<h4>Command chain</h4><ul class="escalations">${escalations}</ul>` : ''}
<div class="detail-actions">
  ${button('escalate', 'E', 'Escalate', f.escalate && tier !== 'city')}
  ${button('deescalate', 'D', 'De-escalate', f.deescalate && tier !== 'street')}
  ${button('request-units', 'M', 'More units', f.resourceRequests)}
  ${button('close', 'C', 'Close', f.close)}
  ${button('cancel-incident', 'X', 'Cancel', f.cancel)}
  ${button('merge', 'G', 'Merge…', f.merge && (inc.status === 'received' || inc.status === 'dispatched' || inc.status === 'en_route'))}
</div>
${timeline}`;
}

/** `1 call`, `2 calls`. */
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
