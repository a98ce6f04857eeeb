import { AssignmentStatus } from '@cad/domain';
import { IsIn, IsISO8601, IsLatitude, IsLongitude, IsNumber, IsOptional } from 'class-validator';

/** Statuses a crew (or a dispatcher for it) can report on a task. */
export const REPORTABLE_ASSIGNMENT_STATUSES = ['acknowledged', 'en_route', 'on_scene', 'transporting', 'at_hospital', 'cleared'] as const;

/** `PATCH /api/assignments/:id`: a unit reports progress on its assignment (task). */
export class AssignmentStatusDto {
  @IsIn(REPORTABLE_ASSIGNMENT_STATUSES, { message: `status must be one of: ${REPORTABLE_ASSIGNMENT_STATUSES.join(', ')}` })
  status: Exclude<AssignmentStatus, 'dispatched'>;
  /** When it happened (ISO-8601); defaults to now. A time older than the status in force is recorded, not applied. */
  @IsOptional() @IsISO8601({ strict: true }) at?: string;
  /** Where the unit is, WGS84 degrees (optional; both or neither). */
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @IsLatitude() lat?: number;
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @IsLongitude() lon?: number;
}
