import { EntityManager } from 'typeorm';
import { StatusReportRow } from '@cad/db';
import { StateConflict } from '../common/errors';

/**
 * Records a crew's status report by its unit and `reportId` inside the caller's transaction (applied,
 * until the caller says otherwise): the id is the unit's own, so another unit's ids never collide with
 * it. A second transaction with the same unit and id waits for the first to commit, then finds it.
 * @returns null for a new report; the first one's record when the unit sent that id before
 * @throws StateConflict (409) when the unit used the id for another of its tasks or another status
 */
export async function recordReport(
  m: EntityManager,
  r: { unitId: string; reportId: string; assignmentId: string; status: string; at: Date },
): Promise<{ applied: boolean } | null> {
  const inserted = await m
    .createQueryBuilder()
    .insert()
    .into(StatusReportRow)
    .values({ unitId: r.unitId, reportId: r.reportId, assignmentId: r.assignmentId, status: r.status, at: r.at, applied: true, receivedAt: new Date() })
    .orIgnore()
    .returning('report_id')
    .execute();
  if (inserted.raw?.length) return null;
  const first = await m.findOneByOrFail(StatusReportRow, { unitId: r.unitId, reportId: r.reportId });
  if (first.assignmentId !== r.assignmentId || first.status !== r.status) {
    throw new StateConflict(`reportId ${r.reportId} was already used by unit ${r.unitId} for ${first.status} on task ${first.assignmentId}: send a new reportId`, first.status);
  }
  return { applied: first.applied };
}
