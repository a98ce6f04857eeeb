import type { Agency } from '@cad/domain';
import { worldOf } from '@cad/domain';
import type { EntityManager } from 'typeorm';
import { AgencyRequestRow, Incident } from '@cad/db';
import type { EventsService } from '../events/events.service';
import type { AgencyRequestView } from '@cad/contracts';
export type { AgencyRequestView } from '@cad/contracts';

/** The view of a stored request. */
export function agencyRequestView(r: AgencyRequestRow): AgencyRequestView {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: r.id,
    incidentId: r.incidentId,
    world: r.world,
    slot: r.slot,
    agency: r.agency,
    capability: r.capability,
    status: r.status,
    requestedAt: r.requestedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    unansweredAt: iso(r.unansweredAt),
    answeredAt: iso(r.answeredAt),
    answeredBy: r.answeredBy,
    unitId: r.unitId,
    assignmentId: r.assignmentId,
    note: r.note,
  };
}

/**
 * Asks other agencies' posts for the plan slots the command centre does not dispatch itself, inside
 * the caller's transaction: one `agency_request` row per slot (`<slotPrefix><capability>-<n>`, unique
 * per incident, so a dispatch run twice asks once) and an `agency.requested` event for each new one.
 * @param requested the slots of agencies in `request` mode (see `splitByDispatchMode`)
 * @param at the request's time (simulated time in a drill)
 * @param answerWithinS seconds the agency's post has to answer (its acknowledgement timeout); counted from now, wall-clock
 * @param jurisdictionIds the incident's chain (the rooms the events go to)
 * @param slotPrefix marks requests beyond the first alarm (`alarm2-`, `rr<time>-` for a resource request)
 * @returns the requests made now (not those already made)
 */
export async function openAgencyRequests(
  m: EntityManager,
  events: EventsService,
  incident: Incident,
  requested: readonly { capability: string; agency: Agency }[],
  at: Date,
  answerWithinS: (agency: Agency) => number,
  jurisdictionIds: string[],
  slotPrefix = '',
): Promise<AgencyRequestRow[]> {
  const made: AgencyRequestRow[] = [];
  const seen = new Map<string, number>();
  for (const r of requested) {
    const n = (seen.get(r.capability) ?? 0) + 1;
    seen.set(r.capability, n);
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(AgencyRequestRow)
      .values({
        incidentId: incident.id,
        world: worldOf(incident),
        slot: `${slotPrefix}${r.capability}-${n}`,
        agency: r.agency,
        capability: r.capability,
        status: 'open',
        requestedAt: at,
        dueAt: new Date(Date.now() + 1000 * answerWithinS(r.agency)),
      })
      .orIgnore()
      .returning('id')
      .execute();
    if (!inserted.raw?.length) continue;
    const row = await m.findOneByOrFail(AgencyRequestRow, { id: inserted.raw[0].id });
    made.push(row);
    await events.append(m, {
      type: 'agency.requested',
      incidentId: incident.id,
      jurisdictionIds,
      at,
      actor: 'dispatch',
      payload: { request: agencyRequestView(row) },
    });
  }
  return made;
}
