import type { EntityManager } from 'typeorm';
import type { LateAckPayload } from '@cad/contracts';

/** `out_of_service_by` of a unit whose crew's late acknowledgement of task `assignmentId` awaits the dispatcher. */
export function lateAckHold(assignmentId: string): string {
  return `${LATE_ACK_HOLD}${assignmentId}`;
}

/** The prefix of {@link lateAckHold}. */
export const LATE_ACK_HOLD = 'late_report:';

/**
 * The newest `assignment.late_ack` raised for task `assignmentId` (its incident `incidentId`, for the
 * event log's index), inside the caller's transaction.
 * @returns its payload, or null when none was raised
 */
export async function latestLateAck(m: EntityManager, incidentId: string, assignmentId: string): Promise<LateAckPayload | null> {
  const [row]: { payload: LateAckPayload }[] = await m.query(
    `SELECT payload FROM incident_event WHERE incident_id = $1 AND type = 'assignment.late_ack' AND payload->>'assignmentId' = $2 ORDER BY id DESC LIMIT 1`,
    [incidentId, assignmentId],
  );
  return row?.payload ?? null;
}

/**
 * Open late-acknowledgement alerts: live units still out of service awaiting the dispatcher's answer
 * (`out_of_service_by` {@link lateAckHold}), each with the newest `assignment.late_ack` of its task, and
 * the incident's street (for the caller's scope check), oldest report first.
 */
export async function openLateAcks(m: EntityManager): Promise<(LateAckPayload & { streetId: string | null })[]> {
  const rows: { payload: LateAckPayload; street_id: string | null }[] = await m.query(
    `SELECT e.payload, i.street_id
       FROM unit u
       JOIN assignment a ON a.id::text = substr(u.out_of_service_by, ${LATE_ACK_HOLD.length + 1}) AND a.unit_id = u.id AND a.world = u.world
       JOIN incident i ON i.id = a.incident_id
       JOIN LATERAL (SELECT payload FROM incident_event e WHERE e.incident_id = a.incident_id AND e.type = 'assignment.late_ack'
                        AND e.payload->>'assignmentId' = a.id::text ORDER BY e.id DESC LIMIT 1) e ON true
      WHERE u.world = 'live' AND u.status = 'out_of_service' AND u.out_of_service_by LIKE '${LATE_ACK_HOLD}%'
      ORDER BY e.payload->>'reportedAt', a.id`,
  );
  return rows.map((r) => ({ ...r.payload, streetId: r.street_id }));
}
