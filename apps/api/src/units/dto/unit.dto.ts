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
  /** Course over ground, degrees clockwise from north. */
  @IsOptional() @IsNumber() @Min(0) @Max(360) headingDeg?: number;
  /** Speed over ground, metres per second. */
  @IsOptional() @IsNumber() @Min(0) @Max(100) speedMps?: number;
  /** Horizontal accuracy of the fix, metres. */
  @IsOptional() @IsNumber({}, { message: 'accuracyM must be a number (metres)' }) @Min(0) @Max(100000) accuracyM?: number;
  /** The device's own sequence number of the fix. */
  @IsOptional() @IsInt({ message: 'seq must be an integer' }) @Min(0) seq?: number;
}
