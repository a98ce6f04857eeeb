import { IsIn, IsInt, IsISO8601, IsNumber, IsOptional, Max, Min } from 'class-validator';
import { wgs84 } from '../../common/validation';

/** `PATCH /api/units/:id {status}`: a unit goes out of service, back in service, or arrives in quarters. */
export class UnitStatusDto {
  @IsIn(['available', 'out_of_service'], { message: 'status must be one of: available, out_of_service' }) status: 'available' | 'out_of_service';
}

/** `POST /api/units/:id/position`: one AVL fix from a responder's phone, WGS84 degrees. */
export class UnitPositionDto {
  @wgs84('lat') lat: number;
  @wgs84('lon') lon: number;
  /** When the fix was taken (ISO-8601); defaults to now. */
  @IsOptional() @IsISO8601({ strict: true }) at?: string;
  // Decorators run from the last one up and only the first broken rule is answered: each type check
  // comes last, so a string is told it must be a number rather than that it is out of range.
  /** Course over ground, degrees clockwise from north. */
  @IsOptional() @Min(0) @Max(360) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'headingDeg must be a number (degrees clockwise from north)' }) headingDeg?: number;
  /** Speed over ground, metres per second. */
  @IsOptional() @Min(0) @Max(100) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'speedMps must be a number (metres per second)' }) speedMps?: number;
  /** Horizontal accuracy of the fix, metres. */
  @IsOptional() @Min(0) @Max(100000) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'accuracyM must be a number (metres)' }) accuracyM?: number;
  /**
   * The device's own sequence number of the fix, 0 to 2^53 − 1 (`Number.MAX_SAFE_INTEGER`: every
   * integer up to it survives JSON exactly, and it fits the `bigint` column, whose limit is 2^63 − 1).
   */
  @IsOptional()
  @Min(0, { message: 'seq must not be negative' })
  @Max(Number.MAX_SAFE_INTEGER, { message: `seq must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}` })
  @IsInt({ message: `seq must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}` })
  seq?: number;
}
