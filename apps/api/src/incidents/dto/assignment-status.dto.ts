import { IsIn, IsISO8601, IsLatitude, IsLongitude, IsOptional } from 'class-validator';

/** `PATCH /api/assignments/:id`: a unit reports progress on its assignment. */
export class AssignmentStatusDto {
  @IsIn(['en_route', 'on_scene', 'cleared']) status: 'en_route' | 'on_scene' | 'cleared';
  /** When it happened (ISO-8601); defaults to now. */
  @IsOptional() @IsISO8601({ strict: true }) at?: string;
  @IsOptional() @IsLatitude() lat?: number;
  @IsOptional() @IsLongitude() lon?: number;
}
