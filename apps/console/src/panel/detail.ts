/**
 * Incident detail card over the map: what, where, who commands it, linked calls, units with status,
 * recommendations with reasons (accept / override), the timeline, and the incident commands.
 * Parts whose endpoint the server does not offer are left out (see `Features`).
 */
import { nowFor } from '../clock';
import { bdi, esc, eta, hms, isolatedHtml, label, mmss, typeLabel } from '../format';
import type { Features } from '../features';
import type { Assignment, AssignmentStatus, CadEvent, CommandTier, Incident, Recommendations, Unit } from '../types';

/** What the card shows beyond the incident itself. `undefined` = still loading. */
export interface DetailExtras {
  timeline: CadEvent[] | undefined;
  recommendations: Recommendations | null | undefined;
  units: Map<string, Unit>;
  features: Features;
}

/**
 * One line of timeline for an event, as HTML: the wording is ours, and every value taken from the
 * event (types, names, reasons, call numbers) is escaped and isolated (`<bdi>`), so bidi controls in
 * it cannot reorder the rest of the line.
 */
export function describeEvent(ev: CadEvent, units: Map<string, Unit>): string {
  const p = (ev.payload ?? {}) as Record<string, unknown>;
  const callsign = (id: unknown) => (typeof id === 'string' ? (units.get(id)?.callsign ?? id) : '');
  const h = isolatedHtml;
  switch (ev.type) {
    case 'incident.created': {
      const inc = p as Partial<Incident>;
      return h`Incident created: P${inc.priority ?? '?'} ${typeLabel(String(inc.type ?? ''))}` + (inc.street?.name ? h` in ${inc.street.name}` : '');
    }
    case 'incident.updated':
      return h`Incident ${label(String((p as Partial<Incident>).status ?? 'updated'))}`;
    case 'assignment.created': {
      const a = (p.assignment ?? {}) as Record<string, unknown>;
      return h`${callsign(a.unitId)} dispatched (${String(a.capability ?? '')}, ETA ${eta(a.etaSeconds as number)})`;
    }
    case 'assignment.updated': {
      const a = (p.assignment ?? {}) as Record<string, unknown>;
      return h`${callsign(a.unitId)} ${label(String(a.status ?? ''))}` + (p.detail ? h`: ${String(p.detail)}` : '');
    }
    case 'unit.status':
      return h`${callsign(p.unitId ?? ev.unitId)} is ${label(String(p.status ?? ''))}`;
    case 'call.linked':
      return h`Call ${String(p.callNumber ?? p.callId ?? '')} linked as a duplicate (${String(p.metres ?? '?')} m away)`;
    case 'call.unlinked':
      return h`Call ${String(p.callId ?? '')} unlinked to its own incident`;
    case 'incident.merged':
      return ev.incidentId === p.into
        ? h`Incident ${String(p.fromCallNumber ?? String(p.from ?? '').slice(0, 8))} merged into this one (${plural((p.units as unknown[] | undefined)?.length ?? 0, 'unit')}, ${plural((p.calls as unknown[] | undefined)?.length ?? 0, 'call')}): ${String(p.reason ?? '')}`
        : h`Merged into incident ${String(p.into ?? '').slice(0, 8)}: ${String(p.reason ?? '')}`;
    case 'call.suggested_link':
      return h`Possible duplicate nearby: ${String(p.otherType ?? '')} ${String(p.metres ?? '?')} m away`;
    case 'incident.escalated':
    case 'incident.deescalated':
      return (
        h`${ev.type === 'incident.escalated' ? 'Escalated' : 'De-escalated'} ${String(p.fromTier ?? '')} → ${String(p.toTier ?? '')}` +
        (p.reason ? h`: ${String(p.reason)}` : '') +
        (p.detail ? h` — ${String(p.detail)}` : '')
      );
    case 'assignment.late_report':
      return h`${callsign(ev.unitId)} late report: ${label(String(p.reported ?? ''))} at ${hms(Date.parse(String(p.reportedAt)))} (kept ${label(String(p.current ?? ''))})`;
    default:
      return h`${label(ev.type.replace(/\./g, ' '))}` + (typeof p.reason === 'string' ? h`: ${p.reason}` : '');
  }
}

/**
 * The units a recommendation would send: the slots that name a unit. Empty when every slot says "no
 * unit" (nothing to accept).
 */
export function recommendedUnitIds(recommendations: Recommendations | null | undefined): string[] {
  return (recommendations?.slots ?? []).flatMap((s) => (s.unitId ? [s.unitId] : []));
}

/**
 * Why a command-chain move cannot be made on an incident, or null when it can: an incident commanded at
 * city tier cannot be escalated, one at street tier has no tier below to hand back to.
 */
export function tierMoveRefusal(action: 'escalate' | 'deescalate', tier: CommandTier | undefined): string | null {
  const t = tier ?? 'street';
  if (action === 'escalate' && t === 'city') return 'Already commanded at city tier, the top of the command chain: it cannot be escalated further.';
  if (action === 'deescalate' && t === 'street') return 'Commanded at street tier, the bottom of the command chain: there is no tier below to hand it back to.';
  return null;
}

/** Capabilities whose crews transport patients (they report transporting and at hospital). */
const TRANSPORT_CAPABILITIES = new Set(['ambulance', 'als']);

/**
 * The statuses a dispatcher may record next for a crew that reports by radio, in the order offered:
 * the task's next step (acknowledged, en route, on scene, transporting, at hospital) and, from on
 * scene on, cleared. Empty for a task that is over (cleared or taken back). Steps the server does not
 * accept (`acknowledged`, `transporting` on an older API) are skipped, and only an ambulance is offered
 * transporting.
 */
export function radioSteps(a: Pick<Assignment, 'status' | 'capability' | 'releasedReason'>, f: Pick<Features, 'acknowledged' | 'transporting'>): AssignmentStatus[] {
  if (a.status === 'cleared' || a.releasedReason) return [];
  switch (a.status) {
    case 'dispatched':
      return [f.acknowledged ? 'acknowledged' : 'en_route'];
    case 'acknowledged':
      return ['en_route'];
    case 'en_route':
      return ['on_scene'];
    case 'on_scene':
      return f.transporting && TRANSPORT_CAPABILITIES.has(a.capability) ? ['transporting', 'cleared'] : ['cleared'];
    case 'transporting':
      return ['at_hospital', 'cleared'];
    case 'at_hospital':
      return ['cleared'];
  }
}

/** Button text of a radio step: `→ en route`, `→ available` for cleared. */
function stepText(status: AssignmentStatus): string {
  return `→ ${status === 'cleared' ? 'available' : label(status).toLowerCase()}`;
}

/** Whether units may still be assigned to an incident in this status (it is open and not yet resolved). */
export function canAssignTo(inc: Pick<Incident, 'status'>): boolean {
  return ['received', 'dispatched', 'en_route', 'on_scene'].includes(inc.status);
}

function button(cmd: string, key: string, text: string, shown: boolean, cls = '', disabledWhy = ''): string {
  if (!shown) return '';
  const title = disabledWhy || `${text} (${key})`;
  return `<button type="button" class="${cls}" data-cmd="${cmd}" title="${esc(title)}"${disabledWhy ? ' disabled aria-disabled="true"' : ''}><kbd>${key}</kbd> ${esc(text)}</button>`;
}

/**
 * Why an incident cannot be closed yet (the server would answer 409), or '' when it can: every unit
 * must have cleared first; a closed, cancelled or merged incident is closed already.
 */
export function closeRefusal(inc: Pick<Incident, 'status' | 'assignments'>): string {
  if (inc.status === 'closed' || inc.status === 'cancelled' || inc.status === 'merged') return `Already ${inc.status}`;
  const busy = inc.assignments.filter((a) => a.status !== 'cleared').map((a) => a.unitId);
  return busy.length ? `Units still assigned (${busy.join(', ')}): they must clear before the incident is closed; X cancels it` : '';
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
        }${radioSteps(a, f)
          .map(
            (st) =>
              ` <button type="button" class="small radio-step" data-cmd="record-status" data-assignment-id="${esc(a.id)}" data-status="${esc(st)}" title="${esc(
                `Record ${a.callsign} ${label(st).toLowerCase()} (crew's report by radio)`,
              )}">${esc(stepText(st))}</button>`,
          )
          .join('')}</li>`,
    )
    .join('');
  const calls = (inc.calls ?? [])
    .map(
      (c) =>
        `<li>${bdi(c.callNumber ?? c.id)} · ${esc(hms(Date.parse(c.receivedAt)))} · ${bdi(c.type)}${c.address ? ` · ${bdi(c.address)}` : ''}${
          f.unlink && c.linked ? ` <button type="button" class="small" data-cmd="unlink" data-call-id="${esc(c.id)}">Unlink</button>` : ''
        }</li>`,
    )
    .join('');
  const suggested =
    (inc.suggestedLinks ?? [])
      .map((s) => `<li class="muted">possible duplicate: ${bdi(s.callNumber ?? s.id)} · ${bdi(s.type)}${s.address ? ` · ${bdi(s.address)}` : ''}</li>`)
      .join('') +
    (inc.possibleDuplicateOf ?? [])
      .map((o) => `<li class="muted possible-duplicate-of">may be the same emergency as ${bdi(o.callNumber ?? o.incidentId)} · ${bdi(o.type)}${o.address ? ` · ${bdi(o.address)}` : ''} (G merges)</li>`)
      .join('');
  // One isolate per note: a note's direction marks stay in it.
  const notes = (inc.calls ?? []).map((c) => c.notes).filter(Boolean).map(bdi).join('\n');
  const escalations = (inc.escalations ?? [])
    .map((e) => `<li>${esc(hms(Date.parse(e.at)))} ${esc(e.fromTier)} → <b>${esc(e.toTier)}</b>: ${bdi(e.reason)}${e.detail ? ` <span class="muted">${bdi(e.detail)}</span>` : ''}</li>`)
    .join('');

  let recs = '';
  if (f.recommendations) {
    const slots = x.recommendations?.slots ?? [];
    const rows = slots
      .map((s) => {
        const u = s.unitId ? x.units.get(s.unitId) : undefined;
        return `<li class="rec" data-unit-id="${esc(s.unitId ?? '')}"><b>${esc(s.capability)}</b> → ${
          s.unitId ? `<b>${bdi(u?.callsign ?? s.unitId)}</b> ETA ${eta(s.etaSeconds)}` : '<span class="warn">no unit</span>'
        } <span class="muted">${bdi(s.reason)}</span>${
          s.unitId ? ` <button type="button" class="small" data-cmd="override" data-unit-id="${esc(s.unitId)}" data-capability="${esc(s.capability)}">Override</button>` : ''
        }</li>`;
      })
      .join('');
    recs = `<h4>Recommendation</h4>${
      x.recommendations === undefined
        ? '<p class="muted">loading…</p>'
        : rows
          ? `<ul class="recs">${rows}</ul>${button(
              'accept',
              'A',
              'Accept recommendation',
              true,
              'primary',
              recommendedUnitIds(x.recommendations).length ? '' : 'Nothing to accept: no unit is recommended',
            )}`
          : '<p class="muted">nothing to recommend</p>'
    }`;
  }

  let timeline = '';
  if (f.timeline) {
    timeline = `<h4>Timeline</h4>${
      x.timeline === undefined
        ? '<p class="muted">loading…</p>'
        : `<ol class="timeline" style="--entry-digits: ${String(x.timeline.length).length}">${x.timeline
            .map((ev) => `<li data-seq="${ev.seq}"><span class="t">${esc(hms(Date.parse(ev.at)))}</span> ${describeEvent(ev, x.units)}</li>`)
            .join('')}</ol>`
    }`;
  }

  el.innerHTML = `<div class="detail-head">
  <span class="chip p${inc.priority}">P${inc.priority}</span>
  <b class="detail-type">${bdi(typeLabel(inc.type))}</b>
  ${inc.exercise ? '<span class="ex-tag">EXERCISE</span>' : ''}
  <span class="spacer"></span>
  <span class="age" data-received="${received}" data-exercise="${inc.exercise ? 1 : 0}">${mmss(nowFor(inc.exercise) - received)}</span>
  <button type="button" class="small" data-cmd="deselect" title="Close (Esc)">✕</button>
</div>
<div class="detail-address">${bdi(inc.address ?? `${inc.lat.toFixed(5)}, ${inc.lon.toFixed(5)}`)}</div>
<div class="muted">${[inc.street?.name, inc.district?.name].filter(Boolean).map(bdi).join(' · ') || 'no jurisdiction'}${
    inc.outsideBoundary ? ' <span class="warn">outside boundary</span>' : ''
  }</div>
<div class="muted">${esc(inc.callNumber ?? inc.id)} · <span class="detail-status">${esc(label(inc.status))}</span> · commanded by <b class="detail-tier">${esc(
    tier,
  )}</b> tier${inc.commandingJurisdiction ? ` (${bdi(inc.commandingJurisdiction.name)})` : ''}</div>
${notes ? `<p class="notes">${notes}</p>` : ''}
${
  inc.autoDispatch === false
    ? `<p class="warn dispatch-hold">Held for you: ${bdi(inc.lastError ?? 'crews did not acknowledge')}. Record a crew's status given by radio (→ buttons), assign a unit by hand (U), or accept the recommendation (A).</p>`
    : inc.lastError && (inc.status === 'received' || inc.status === 'dispatched')
      ? `<p class="warn dispatch-note">${bdi(inc.lastError)}</p>`
      : ''
}
<h4>Units</h4><ul class="detail-units">${units || '<li class="muted">no units assigned</li>'}</ul>
${
  f.assignByHand && canAssignTo(inc)
    ? `<form class="assign-form" data-incident-id="${esc(inc.id)}"><label><kbd>U</kbd> Assign unit <input id="assign-unit" name="unit" autocomplete="off" maxlength="12" placeholder="e.g. E08" aria-label="Unit id to assign by hand" /></label></form>`
    : ''
}
${recs}
${calls || suggested ? `<h4>Calls</h4><ul class="calls">${calls}${suggested}</ul>` : ''}
${escalations ? `<h4>Command chain</h4><ul class="escalations">${escalations}</ul>` : ''}
<div class="detail-actions">
  ${button('escalate', 'E', 'Escalate', f.escalate && !tierMoveRefusal('escalate', tier))}
  ${button('deescalate', 'D', 'De-escalate', f.deescalate && !tierMoveRefusal('deescalate', tier))}
  ${button('request-units', 'M', 'More units', f.resourceRequests)}
  ${button('close', 'C', 'Close', f.close, '', closeRefusal(inc))}
  ${button('cancel-incident', 'X', 'Cancel', f.cancel)}
  ${button('merge', 'G', 'Merge…', f.merge && (inc.status === 'received' || inc.status === 'dispatched' || inc.status === 'en_route'))}
</div>
${timeline}`;
}

/** `1 call`, `2 calls`. */
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
