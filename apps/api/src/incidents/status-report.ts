import { EntityManager } from 'typeorm';
import { StatusReportRow } from '@cad/db';
import { StateConflict } from '../common/errors';

/**
 * Records a crew's status report by its `reportId` inside the caller's transaction (applied, until
 * the caller says otherwise). A second transaction with the same id waits for the first to commit,
 * then finds it.
 * @returns null for a new report; the first one's record when the id was seen before
 * @throws StateConflict (409) when the id was used for another task or another status
 */
export async function recordReport(
  m: EntityManager,
  r: { reportId: string; assignmentId: string; status: string; at: Date },
): Promise<{ applied: boolean } | null> {
  const inserted = await m
    .createQueryBuilder()
    .insert()
    .into(StatusReportRow)
    .values({ reportId: r.reportId, assignmentId: r.assignmentId, status: r.status, at: r.at, applied: true, receivedAt: new Date() })
    .orIgnore()
    .returning('report_id')
    .execute();
  if (inserted.raw?.length) return null;
  const first = await m.findOneByOrFail(StatusReportRow, { reportId: r.reportId });
  if (first.assignmentId !== r.assignmentId || first.status !== r.status) {
    throw new StateConflict(`reportId ${r.reportId} was already used for ${first.status} on task ${first.assignmentId}`, first.status);
  }
  return { applied: first.applied };
}
