import { AssignmentStatus, TASK_CANCEL_REASONS, TaskCancelReason } from '@cad/domain';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';
import { wgs84 } from '../../common/validation';

/** Statuses a crew (or a dispatcher for it) can report on a task. */
export const REPORTABLE_ASSIGNMENT_STATUSES = ['acknowledged', 'en_route', 'on_scene', 'transporting', 'at_hospital', 'cleared'] as const;

/** `PATCH /api/assignments/:id`: a unit reports progress on its assignment (task). */
export class AssignmentStatusDto {
  @IsIn(REPORTABLE_ASSIGNMENT_STATUSES, { message: `status must be one of: ${REPORTABLE_ASSIGNMENT_STATUSES.join(', ')}` })
  status: Exclude<AssignmentStatus, 'dispatched'>;
  /** When it happened (ISO-8601); defaults to now; at most 24 h old. A step back is recorded, not applied. */
  @IsOptional() @IsISO8601({ strict: true }) at?: string;
  /**
   * The phone's own id for this report (1-80 of letters, digits, `.`, `_`, `:`, `-`): a report sent
   * again with the same id (a retry after a lost answer, an outbox flushed twice) is applied once.
   */
  @IsOptional()
  @Matches(/^[\w.:-]{1,80}$/, { message: 'reportId must be 1-80 letters, digits, ".", "_", ":" or "-"' })
  reportId?: string;
  /**
   * Why the crew clears the task before on scene (a cancel), one of `TASK_CANCEL_REASONS`: required for
   * `cleared` from dispatched, acknowledged or en route (`409` naming the rule without it), refused otherwise.
   */
  @IsOptional()
  @IsIn(TASK_CANCEL_REASONS, { message: `cancelReason must be one of: ${TASK_CANCEL_REASONS.join(', ')}` })
  cancelReason?: TaskCancelReason;
  /** Where the unit is, WGS84 degrees (optional; both or neither). */
  @IsOptional() @wgs84('lat') lat?: number;
  @IsOptional() @wgs84('lon') lon?: number;
}
