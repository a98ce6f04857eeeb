import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNumber,
  IsObject,
  Max,
  Min,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { noControl, noInvisible, notBlank, wgs84 } from '../../common/validation';


const nfc = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

/**
 * A call for service as posted to `POST /api/calls`. Coordinates are WGS84 degrees; `receivedAt` is
 * an ISO-8601 instant (defaults to the time of receipt).
 */
export class CreateCallDto {
  /** External call number from the caller system; the same number twice stores one call. */
  @IsOptional() @IsString() @MaxLength(80) @Matches(/^[\w.:/-]+$/, { message: 'callNumber may hold letters, digits and . : / - _ only' })
  callNumber?: string;

  /** Call type, e.g. `Medical Incident`, `Structure Fire`. */
  @Transform(nfc) @IsString() @IsNotEmpty() @MaxLength(120) @notBlank('type') @noInvisible('type') @noControl('type') type: string;

  /** 1 = emergency, 2 = urgent, 3 = non-emergency. */
  @IsOptional() @IsIn([1, 2, 3]) priority?: 1 | 2 | 3;

  @wgs84('lat') lat: number;
  @wgs84('lon') lon: number;

  /** Horizontal accuracy of `lat`/`lon` when they are the caller's device location, metres. */
  @IsOptional() @IsNumber({}, { message: 'accuracyM must be a number (metres)' }) @Min(0) @Max(100000) accuracyM?: number;
  @IsOptional() @Transform(nfc) @IsString() @MaxLength(300) @noInvisible('address') @noControl('address') address?: string;
  @IsOptional() @Transform(nfc) @IsString() @MaxLength(4000) @noControl('notes') notes?: string;
  /**
   * The roadway a traffic collision is on: an OSM name or ref (`"US 101"`, `"Presidio Parkway"`) or
   * `"tunnel"` / `"bridge"`, optionally ending in a direction (`northbound`, `NB`, ...). The incident
   * snaps to that roadway within 300 m instead of the nearest surface street.
   */
  @IsOptional() @Transform(nfc) @IsString() @IsNotEmpty() @MaxLength(80) @noInvisible('roadway') @noControl('roadway') roadway?: string;
  /**
   * Direction of travel, degrees clockwise from true north in [0, 360). Decorators run from the last
   * one up, and only the first broken rule is answered: the type check comes last so `"NaN"` is told
   * it must be a number, not that it is too large.
   */
  @IsOptional() @Min(0) @Max(359.999999) @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'headingDegrees must be a number (degrees clockwise from north)' }) headingDegrees?: number;
  @IsOptional() @IsIn(['hotline', 'sensor', 'field', 'drill', 'api']) source?: string;
  @IsOptional() @IsISO8601({ strict: true }) receivedAt?: string;
  /** True for drill (exercise) calls. */
  @IsOptional() @IsBoolean() exercise?: boolean;
  /**
   * True for a call taken on a console while CAD was down, sent from its outbox on recovery:
   * `receivedAt` is when it was taken; the call is marked entered late (its entry time kept beside).
   */
  @IsOptional() @IsBoolean({ message: 'takenOffline must be true or false' }) takenOffline?: boolean;
  @IsOptional() @IsString() @MaxLength(80) drillId?: string;
  /**
   * Drill calls only: the first alarm this call's incident gets instead of its plan's, units per
   * capability (`{ "engine": 1, "ambulance": 1 }`): a drill replaying a real day sends what history sent
   * to that call (issue 20). Checked by `CallsService.accept` (known capabilities, whole numbers 0–20).
   */
  // The object as sent (class-transformer's copy would skip keys such as `toString`, which must be refused, not dropped).
  @IsOptional() @Transform(({ obj }) => (obj as Record<string, unknown>).firstAlarm) @IsObject({ message: 'firstAlarm must be an object of units per capability, e.g. {"engine": 1}' }) firstAlarm?: Record<string, number>;
}
