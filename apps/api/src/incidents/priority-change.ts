import { Incident } from '@cad/db';
import { EntityManager } from 'typeorm';
import { EventsService } from '../events/events.service';

/** Why an incident's priority was raised: a more urgent call linked to it, or an incident merged into it. */
export interface PriorityRaise {
  /** The more urgent priority (1 most urgent). */
  to: number;
  /** `call_linked` or `merged`. */
  reason: 'call_linked' | 'merged';
  /** The call (linked) or the merged incident that brought the more urgent priority. */
  callId?: string;
  callNumber?: string | null;
  fromIncidentId?: string;
  at: Date;
  actor: string;
  jurisdictionIds: string[];
}

/**
 * Raises a locked incident's priority when `raise.to` is more urgent (a lower number) than its own:
 * a new revision (so a dispatch job at that revision runs the plan again, with lights-and-siren ETAs
 * and the more urgent weight, and deadlines armed at the old revision no longer act for it) and an
 * `incident.priority_changed` event `{incidentId, from, to, reason, callId?, callNumber?, fromIncidentId?}`.
 * The caller appends `incident.updated` and queues the dispatch job.
 * @returns the new revision, or null when the incident was already as urgent (nothing changed)
 */
export async function raisePriority(m: EntityManager, events: EventsService, incident: Incident, raise: PriorityRaise): Promise<number | null> {
  if (raise.to >= incident.priority) return null;
  const revision = incident.revision + 1;
  await m.update(Incident, { id: incident.id }, { priority: raise.to, revision });
  await events.append(m, {
    type: 'incident.priority_changed',
    incidentId: incident.id,
    jurisdictionIds: raise.jurisdictionIds,
    at: raise.at,
    actor: raise.actor,
    payload: {
      incidentId: incident.id,
      from: incident.priority,
      to: raise.to,
      reason: raise.reason,
      ...(raise.callId ? { callId: raise.callId, callNumber: raise.callNumber ?? null } : {}),
      ...(raise.fromIncidentId ? { fromIncidentId: raise.fromIncidentId } : {}),
    },
  });
  incident.priority = raise.to;
  incident.revision = revision;
  return revision;
}
