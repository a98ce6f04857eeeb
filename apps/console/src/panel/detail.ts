/**
 * Incident detail card over the map: what, where, who commands it, linked calls, units with status,
 * recommendations with reasons (accept / override), the timeline, and the incident commands.
 * Parts whose endpoint the server does not offer are left out (see `Features`).
 */
import { nowFor } from '../clock';
import { bdi, capabilityLabel, esc, escalationReason, eta, etaSpan, etaText, hms, label, lastErrorText, mmss, placeName, taskCancelReason, tierLabel, typeLabel, unitTypeAndCapability, unitTypeLabel } from '../format';
import { timelineEvents } from './timeline';
import { awaitsDispatchConfirmation, dispatchConfirmHtml } from './reopen-ask';
import { has, list, t, tHtml } from '../i18n';
import type { Features } from '../features';
import type { Assignment, AssignmentStatus, CadEvent, CommandTier, Incident, Recommendations, Unit } from '../types';
import { MOVING_STATUSES } from '../types';
import { callNumberShown, drillName } from '../drill-names';

/** What the card shows beyond the incident itself. `undefined` = still loading. */
export interface DetailExtras {
  timeline: CadEvent[] | undefined;
  recommendations: Recommendations | null | undefined;
  units: Map<string, Unit>;
  features: Features;
  /** The reader is a city commander, who may warn the public about the incident (CAP alert). */
  canWarnPublic?: boolean;
}

/**
 * Whether an escalation's `detail` is shown beside its reason: the server's English explanation of a
 * coded reason (`no_unit`, `ack_timeout`…) is replaced by our own words for the code, but a move by hand
 * (`manual`) keeps its detail: the reason a dispatcher typed.
 */
export function showsDetail(reason: string | undefined): boolean {
  return !reason || reason === 'manual' || !has(`escalationReason.${reason}`);
}

/**
 * One line of timeline for an event, as HTML: the wording is ours, and every value taken from the
 * event (types, names, reasons, call numbers) is escaped and isolated (`<bdi>`), so bidi controls in
 * it cannot reorder the rest of the line.
 */
export function describeEvent(ev: CadEvent, units: Map<string, Unit>): string {
  /** A unit by its call sign, its type beside it (`E05 (Engine)`). */
  const callsign = (id: string | null | undefined) => {
    const u = id ? units.get(id) : undefined;
    const name = bdi(u?.callsign ?? id ?? '');
    return u?.unitType ? tHtml('timeline.unitWithType', { callsign: name, type: esc(unitTypeLabel(u.unitType)) }) : name;
  };
  const text = (v: unknown) => bdi(String(v ?? ''));
  /** A reason (and detail) after the main line, when the event carries one. */
  const why = (line: string, reason: string | undefined, detail: string | undefined) =>
    line + (reason ? tHtml('timeline.reason', { reason: text(escalationReason(reason)) }) : '') + (detail && showsDetail(reason) ? tHtml('timeline.detail', { detail: text(detail) }) : '');
  switch (ev.type) {
    case 'incident.created': {
      const inc = ev.payload;
      const values = { priority: text(inc.priority ?? '?'), type: bdi(typeLabel(inc.type ?? '')) };
      return inc.street?.name ? tHtml('timeline.createdIn', { ...values, street: text(inc.street.name) }) : tHtml('timeline.created', values);
    }
    case 'incident.updated':
      // A close says its disposition (what the crews found and did), as the dispatcher entered it.
      if (ev.payload.status === 'closed' && ev.payload.disposition) return tHtml('timeline.closedWith', { disposition: text(ev.payload.disposition) });
      return ev.payload.status ? tHtml('timeline.updated', { status: text(label(ev.payload.status)) }) : esc(t('timeline.changed'));
    case 'assignment.created': {
      const a = ev.payload.assignment;
      return tHtml('timeline.dispatched', { unit: callsign(a?.unitId), capability: text(capabilityLabel(a?.capability ?? '')), eta: text(eta(a?.etaSeconds ?? null)) });
    }
    case 'assignment.updated': {
      const { assignment: a, reason, detail } = ev.payload;
      // A crew that cancelled its task says why, in the words of its phone's reason buttons.
      if (a?.status === 'cleared' && a.cancelReason) return tHtml('timeline.cancelledByCrew', { unit: callsign(a.unitId), reason: text(taskCancelReason(a.cancelReason)) });
      // A task taken back (no acknowledgement, incident ended) says why in our words, not the server's detail.
      if (typeof reason === 'string' && a?.status === 'cleared') {
        return tHtml(has(`timeline.released.${reason}`) ? `timeline.released.${reason}` : 'timeline.released.other', { unit: callsign(a.unitId) });
      }
      const line = tHtml('timeline.assignment', { unit: callsign(a?.unitId), status: text(label(a?.status ?? '')) });
      const words = typeof reason === 'string' && has(`escalationReason.${reason}`) ? escalationReason(reason) : detail;
      return line + (words ? tHtml('timeline.reason', { reason: text(words) }) : '');
    }
    case 'unit.status':
      return tHtml('timeline.unitStatus', { unit: callsign(ev.payload.unitId ?? ev.unitId), status: text(label(ev.payload.status ?? '')) });
    case 'call.linked':
      return tHtml('timeline.callLinked', { call: text(ev.payload.callNumber ?? ''), metres: text(ev.payload.metres ?? '?') });
    case 'incident.priority_changed':
      return tHtml(ev.payload.reason === 'merged' ? 'timeline.priorityRaisedByMerge' : 'timeline.priorityRaisedByCall', {
        from: text(ev.payload.from),
        to: text(ev.payload.to),
        call: text(ev.payload.callNumber ?? ''),
      });
    case 'call.unlinked':
      return ev.payload.callNumber ? tHtml('timeline.callUnlinked', { call: text(ev.payload.callNumber) }) : esc(t('timeline.aCallUnlinked'));
    case 'incident.merged': {
      const p = ev.payload;
      return ev.incidentId === p.into
        ? tHtml('timeline.mergedHere', {
            from: p.fromCallNumber ? text(p.fromCallNumber) : esc(t('timeline.anotherIncident')),
            units: tHtml('timeline.units', { count: p.units?.length ?? 0 }),
            calls: tHtml('timeline.calls', { count: p.calls?.length ?? 0 }),
            reason: text(p.reason),
          })
        : tHtml('timeline.mergedInto', { into: p.intoCallNumber ? text(p.intoCallNumber) : esc(t('timeline.anotherIncident')), reason: text(p.reason) });
    }
    case 'call.suggested_link':
      return tHtml('timeline.possibleDuplicate', { type: text(ev.payload.otherType ?? ''), metres: text(ev.payload.metres ?? '?') });
    case 'incident.escalated':
    case 'incident.deescalated':
      return why(
        tHtml(ev.type === 'incident.escalated' ? 'timeline.escalated' : 'timeline.deescalated', {
          from: text(tierLabel(ev.payload.fromTier ?? '')),
          to: text(tierLabel(ev.payload.toTier ?? '')),
        }),
        ev.payload.reason,
        ev.payload.detail,
      );
    case 'assignment.hospital':
      return tHtml('timeline.hospital', { unit: callsign(ev.payload.unitId ?? ev.unitId), hospital: text(ev.payload.hospital?.name) });
    case 'incident.resources_requested': {
      const { reason, replacesUnitId } = ev.payload;
      // A replacement the server sent for a silent crew names that unit in our words; a dispatcher's reason is shown as typed.
      const words = reason === 'not_acknowledged' && replacesUnitId ? t('timeline.replacesNotAcknowledged', { unit: replacesUnitId }) : escalationReason(reason ?? '');
      return esc(t('event.incident.resources_requested')) + (words ? tHtml('timeline.reason', { reason: text(words) }) : '');
    }
    case 'assignment.late_report':
      return tHtml('timeline.lateReport', {
        unit: callsign(ev.unitId),
        reported: text(label(ev.payload.reported ?? '')),
        at: text(hms(Date.parse(ev.payload.reportedAt))),
        kept: text(label(ev.payload.current ?? '')),
      });
    default: {
      const p: unknown = ev.payload;
      const reason = p && typeof p === 'object' && 'reason' in p && typeof p.reason === 'string' ? p.reason : undefined;
      const unitId = p && typeof p === 'object' && 'unitId' in p && typeof p.unitId === 'string' ? p.unitId : ev.unitId;
      return (
        (has(`event.${ev.type}`) ? tHtml(`event.${ev.type}`, { unit: callsign(unitId) }) : tHtml('timeline.other', { type: text(ev.type.replace(/[._]/g, ' ')) })) +
        (reason ? tHtml('timeline.reason', { reason: text(escalationReason(reason)) }) : '')
      );
    }
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
 * Whether `ev` is about a unit the selected incident's card recommends: its status changed, or a task
 * of another incident took it.
 */
export function recommendsUnitOf(state: { recommendations: Recommendations | null | undefined }, ev: CadEvent): boolean {
  const shown = recommendedUnitIds(state.recommendations);
  if (!shown.length) return false;
  if (ev.type === 'unit.status') return shown.includes(ev.payload.unitId);
  if (ev.type === 'assignment.created' || ev.type === 'assignment.updated') return shown.includes(ev.payload.assignment.unitId);
  return false;
}

/**
 * Why a command-chain move cannot be made on an incident, or null when it can: an incident commanded at
 * city tier cannot be escalated, one at street tier has no tier below to hand back to.
 */
export function tierMoveRefusal(action: 'escalate' | 'deescalate', tier: CommandTier | undefined): string | null {
  if (action === 'escalate' && tier === 'city') return t('refusal.topTier');
  if (action === 'deescalate' && (tier ?? 'street') === 'street') return t('refusal.bottomTier');
  return null;
}

/** Capabilities whose crews transport patients (they report transporting and at hospital). */
const TRANSPORT_CAPABILITIES = new Set(['ambulance', 'als']);

/**
 * The statuses a dispatcher may record next for a crew that reports by radio, in the order offered:
 * the task's next step (acknowledged, en route, on scene, transporting, at hospital) and, from on
 * scene and at hospital, cleared (the server takes the steps in order). Empty for a task that is over (cleared or taken back). Steps the server does not
 * accept (`acknowledged`, `transporting` on an older API) are skipped, and only an ambulance is offered
 * transporting.
 */
export function radioSteps(a: Pick<Assignment, 'status' | 'capability'> & Partial<Pick<Assignment, 'releasedReason'>>, f: Pick<Features, 'acknowledged' | 'transporting'>): AssignmentStatus[] {
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
      return ['at_hospital']; // the server takes the steps in order: at hospital before available
    case 'at_hospital':
      return ['cleared'];
  }
}

/** Why the crew cancelled a task (` cancelled · Not needed`), or '' for a task not cancelled by its crew. */
export function crewCancelHtml(a: Pick<Assignment, 'status' | 'cancelReason'>): string {
  if (a.status !== 'cleared' || !a.cancelReason) return '';
  return ` <span class="asg-cancel-reason muted">${tHtml('detail.cancelledBecause', { reason: bdi(taskCancelReason(a.cancelReason)) })}</span>`;
}

/** Button text of a radio step: `→ en route`, `→ available` for cleared. */
function stepText(status: AssignmentStatus): string {
  return t('detail.step', { status: label(status === 'cleared' ? 'available' : status) });
}

/** Whether units may still be assigned to an incident in this status (it is open and not yet resolved). */
export function canAssignTo(inc: Pick<Incident, 'status'>): boolean {
  return ['received', 'dispatched', 'en_route', 'on_scene'].includes(inc.status);
}

function button(cmd: string, key: string, text: string, shown: boolean, cls = '', disabledWhy = ''): string {
  if (!shown) return '';
  const title = disabledWhy || t('detail.buttonTitle', { text, key });
  return `<button type="button" class="${cls}" data-cmd="${cmd}" title="${esc(title)}"${disabledWhy ? ' disabled aria-disabled="true"' : ''}><kbd>${key}</kbd> ${esc(text)}</button>`;
}

/**
 * Why an incident cannot be closed yet (the server would answer 409), or '' when it can: every unit
 * must have cleared first; a closed, cancelled or merged incident is closed already.
 */
export function closeRefusal(inc: Pick<Incident, 'status' | 'assignments'>): string {
  if (inc.status === 'closed' || inc.status === 'cancelled' || inc.status === 'merged') return t('refusal.already', { status: label(inc.status) });
  const busy = inc.assignments.filter((a) => a.status !== 'cleared').map((a) => a.unitId);
  return busy.length ? t('refusal.unitsStillAssigned', { units: list(busy) }) : '';
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
      (a, _i, _all, kind = unitTypeAndCapability(x.units.get(a.unitId)?.unitType, a.capability)) =>
        `<li class="asg-line status-${esc(a.status)}" data-assignment-id="${esc(a.id)}" data-unit-id="${esc(a.unitId)}"><b>${esc(
          a.callsign,
        )}</b> <span class="utype">${esc(kind.type)}</span>${kind.capability ? ` <span class="muted">${esc(kind.capability)}</span>` : ''} <span class="asg-status">${esc(
          a.releasedReason === 'not_acknowledged' ? t(inc.assignments.some((b) => b.replacesId === a.id) ? 'detail.noAckReplaced' : 'detail.noAckNotReplaced') : label(a.status),
        )}</span>${crewCancelHtml(a)}${
          MOVING_STATUSES.has(a.status) ? ` ${etaSpan(a, inc, 'line', nowFor(inc.exercise, inc.drillId), 'muted')}` : ''
        }${radioSteps(a, f)
          .map(
            (st) =>
              ` <button type="button" class="small radio-step" data-cmd="record-status" data-assignment-id="${esc(a.id)}" data-status="${esc(st)}" title="${esc(
                t('detail.recordStepTitle', { callsign: a.callsign, status: label(st === 'cleared' ? 'available' : st) }),
              )}">${esc(stepText(st))}</button>`,
          )
          .join('')}</li>`,
    )
    .join('');
  const calls = (inc.calls ?? [])
    .map(
      (c) =>
        `<li>${bdi(callNumberShown(c.callNumber, c.id))} · ${esc(hms(Date.parse(c.receivedAt)))} · ${bdi(typeLabel(c.type))}${c.address ? ` · ${bdi(c.address)}` : ''}${
          f.unlink && c.linked ? ` <button type="button" class="small" data-cmd="unlink" data-call-id="${esc(c.id)}">${esc(t('detail.unlink'))}</button>` : ''
        }</li>`,
    )
    .join('');
  const suggested =
    (inc.suggestedLinks ?? [])
      .map((s) => `<li class="muted">${tHtml('detail.possibleDuplicate', { call: bdi(callNumberShown(s.callNumber, s.id)), type: bdi(typeLabel(s.type)) })}${s.address ? ` · ${bdi(s.address)}` : ''}</li>`)
      .join('') +
    (inc.possibleDuplicateOf ?? [])
      .map((o) => `<li class="muted possible-duplicate-of">${tHtml('detail.sameEmergency', { call: bdi(callNumberShown(o.callNumber, o.incidentId)), type: bdi(typeLabel(o.type)), address: o.address ? ` · ${bdi(o.address)}` : '' })}</li>`)
      .join('');
  // One isolate per note: a note's direction marks stay in it.
  const notes = (inc.calls ?? []).map((c) => c.notes).filter(Boolean).map(bdi).join('\n');
  const escalations = (inc.escalations ?? [])
    .map((e) => `<li>${esc(hms(Date.parse(e.at)))} ${esc(tierLabel(e.fromTier))} → <b>${esc(tierLabel(e.toTier))}</b>: ${bdi(escalationReason(e.reason))}${e.detail && showsDetail(e.reason) ? ` <span class="muted">— ${bdi(e.detail)}</span>` : ''}</li>`)
    .join('');

  let recs = '';
  if (f.recommendations) {
    const slots = x.recommendations?.slots ?? [];
    const rows = slots
      .map((s) => {
        const u = s.unitId ? x.units.get(s.unitId) : undefined;
        return `<li class="rec" data-unit-id="${esc(s.unitId ?? '')}"><b>${esc(capabilityLabel(s.capability))}</b> → ${
          s.unitId ? `<b>${bdi(u?.callsign ?? s.unitId)}</b> <span class="utype">${esc(unitTypeLabel(u?.unitType))}</span> ${esc(etaText({ status: 'dispatched', etaSeconds: s.etaSeconds, turnoutSeconds: s.turnoutSeconds }))}` : `<span class="warn">${esc(t('detail.noUnit'))}</span>`
        } <span class="muted">${bdi(s.reason)}</span>${
          s.unitId ? ` <button type="button" class="small" data-cmd="override" data-unit-id="${esc(s.unitId)}" data-capability="${esc(s.capability)}">${esc(t('detail.override'))}</button>` : ''
        }</li>`;
      })
      .join('');
    // A resolved incident with nothing left to fill has nothing to recommend: no section.
    const settled = x.recommendations !== undefined && !rows && ['resolved', 'closed', 'cancelled'].includes(inc.status);
    recs = settled ? '' : `<h4>${esc(t('detail.recommendation'))}</h4>${
      x.recommendations === undefined
        ? `<p class="muted">${esc(t('common.loading'))}</p>`
        : rows
          ? `<ul class="recs">${rows}</ul>${button(
              'accept',
              'A',
              t('detail.accept'),
              true,
              'primary',
              recommendedUnitIds(x.recommendations).length ? '' : t('detail.nothingToAccept'),
            )}`
          : `<p class="muted">${esc(t(x.recommendations === null ? 'detail.recommendationUnreadable' : 'detail.nothingToRecommend'))}</p>`
    }`;
  }

  let timeline = '';
  if (f.timeline) {
    timeline = `<h4>${esc(t('detail.timeline'))}</h4>${
      x.timeline === undefined
        ? `<p class="muted">${esc(t('common.loading'))}</p>`
        : `<ol class="timeline" style="--entry-digits: ${String(x.timeline.length).length}">${timelineEvents(x.timeline)
            .map((ev) => `<li data-seq="${ev.seq}"><span class="t">${esc(hms(Date.parse(ev.at)))}</span> ${describeEvent(ev, x.units)}</li>`)
            .join('')}</ol>`
    }`;
  }

  el.innerHTML = `<div class="detail-head">
  <span class="chip p${inc.priority}">P${inc.priority}</span>
  <b class="detail-type">${bdi(typeLabel(inc.type))}</b>
  ${inc.exercise ? `<span class="ex-tag" title="${esc(drillName(inc.drillId))}">${esc(t('common.exercise'))}</span>` : ''}
  <span class="spacer"></span>
  <span class="age" data-received="${received}" data-exercise="${inc.exercise ? 1 : 0}" data-drill="${esc(inc.drillId ?? '')}">${mmss(nowFor(inc.exercise, inc.drillId) - received)}</span>
  <button type="button" class="small" data-cmd="deselect" title="${esc(t('detail.deselectTitle'))}">✕</button>
</div>
<div class="detail-address">${bdi(inc.address ?? `${inc.lat.toFixed(5)}, ${inc.lon.toFixed(5)}`)}</div>
<div class="muted">${[inc.street?.name, inc.district?.name].filter(Boolean).map((n) => bdi(placeName(n))).join(' · ') || esc(t('common.noJurisdiction'))}${
    inc.outsideBoundary ? ` <span class="warn">${esc(t('common.outsideBoundary'))}</span>` : ''
  }</div>
<div class="muted">${esc(callNumberShown(inc.callNumber, inc.id))} · <span class="detail-status">${esc(label(inc.status))}</span> · ${tHtml(
    inc.commandingJurisdiction ? 'detail.commandedByIn' : 'detail.commandedBy',
    { tier: `<b class="detail-tier">${esc(tierLabel(tier))}</b>`, jurisdiction: bdi(placeName(inc.commandingJurisdiction?.name)) },
  )}</div>
${notes ? `<p class="notes">${notes}</p>` : ''}
${
  awaitsDispatchConfirmation(inc)
    ? dispatchConfirmHtml(inc, false)
    : inc.autoDispatch === false
    ? `<p class="warn dispatch-hold">${tHtml('detail.held', { why: inc.lastError ? bdi(lastErrorText(inc)) : esc(t('detail.heldWhy')) })}</p>`
    : inc.lastError && (inc.status === 'received' || inc.status === 'dispatched')
      ? `<p class="warn dispatch-note">${bdi(lastErrorText(inc))}</p>`
      : ''
}
<h4>${esc(t('detail.units'))}</h4><ul class="detail-units">${units || `<li class="muted">${esc(t('common.noUnitsAssigned'))}</li>`}</ul>
${
  f.assignByHand && canAssignTo(inc)
    ? `<form class="assign-form" data-incident-id="${esc(inc.id)}"><label><kbd>U</kbd> ${esc(t('detail.assignUnit'))} <input id="assign-unit" name="unit" autocomplete="off" maxlength="12" placeholder="${esc(t('detail.assignExample'))}" aria-label="${esc(t('detail.assignLabel'))}" /></label></form>`
    : ''
}
${recs}
${calls || suggested ? `<h4>${esc(t('detail.calls'))}</h4><ul class="calls">${calls}${suggested}</ul>` : ''}
${escalations ? `<h4>${esc(t('detail.commandChain'))}</h4><ul class="escalations">${escalations}</ul>` : ''}
<div class="detail-actions">
  ${button('escalate', 'E', t('detail.escalate'), f.escalate && !tierMoveRefusal('escalate', tier))}
  ${button('deescalate', 'D', t('detail.deescalate'), f.deescalate && !tierMoveRefusal('deescalate', tier))}
  ${button('request-units', 'M', t('detail.moreUnits'), f.resourceRequests)}
  ${button('close', 'C', t('detail.close'), f.close, '', closeRefusal(inc))}
  ${button('cancel-incident', 'X', t('detail.cancel'), f.cancel)}
  ${button('merge', 'G', t('detail.merge'), f.merge && (inc.status === 'received' || inc.status === 'dispatched' || inc.status === 'en_route'))}
  ${
    x.canWarnPublic && !['closed', 'cancelled', 'merged'].includes(inc.status)
      ? `<button type="button" class="warn-public" data-alert-incident="${esc(inc.id)}" data-call-number="${esc(inc.callNumber ?? '')}" data-lat="${inc.lat}" data-lon="${inc.lon}" data-address="${esc(inc.address ?? '')}" data-type="${esc(inc.type)}" data-exercise="${inc.exercise ? 1 : 0}" title="${esc(t('detail.warnPublicTitle'))}">${esc(t('detail.warnPublic'))}</button>`
      : ''
  }
</div>
${timeline}`;
}

