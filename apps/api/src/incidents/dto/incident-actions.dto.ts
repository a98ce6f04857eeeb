import { CAPABILITIES } from '@cad/domain';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { isUnitId, noControl, notBlank } from '../../common/validation';


/** `POST /api/incidents/:id/escalate` and `/deescalate`: why. */
export class EscalateDto {
  @IsString() @Length(1, 500) @notBlank('reason') @noControl('reason') reason: string;
}

/**
 * `POST /api/incidents/:id/close` or `/cancel`: the disposition (what was found or why cancelled). Closing
 * needs a `dispositionCode` from `DISPOSITION_CODES` (see `call-record/close-disposition.pipe.ts`).
 */
export class CloseDto {
  @IsOptional() @IsString() @MaxLength(40) @noControl('dispositionCode') dispositionCode?: string;
  @IsOptional() @IsString() @MaxLength(500) @noControl('disposition') disposition?: string;
}

/** `POST /api/incidents/:id/assignments`: a dispatcher assigns a unit by hand. */
export class AssignUnitDto {
  @IsString() @isUnitId('unitId') unitId: string;
  /** Plan slot the unit fills; defaults to the unit's primary capability. */
  @IsOptional() @IsIn(CAPABILITIES) capability?: string;
}

/** `POST /api/incidents/:id/resource-requests`: a tier asks the tier above for more units. */
export class ResourceRequestDto {
  /** One entry per unit wanted, e.g. `["engine", "engine", "truck"]`. */
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @IsIn(CAPABILITIES, { each: true, message: `capabilities must each be one of: ${CAPABILITIES.join(', ')}` })
  capabilities: string[];
  @IsString() @Length(1, 500) @notBlank('reason') @noControl('reason') reason: string;
}

/**
 * `POST /api/incidents/:id/recommendations/accept`: which recommended units to send (all when omitted).
 * `null`, an empty list or a list that is not a list is refused naming `unitIds`, never read as "all".
 */
export class AcceptRecommendationDto {
  @ValidateIf((o: { unitIds?: unknown }) => o.unitIds !== undefined)
  @isUnitId('unitIds', true)
  @ArrayMaxSize(50, { message: 'unitIds must list at most 50 units' })
  @ArrayMinSize(1, { message: 'unitIds must list at least one unit (omit it to send every recommended unit)' })
  @IsArray({ message: 'unitIds must be a list of unit ids (omit it to send every recommended unit)' })
  unitIds?: string[];
}

/** `POST /api/incidents/:id/recommendations/override`: another unit than recommended, and why. */
export class OverrideRecommendationDto {
  @IsString() @isUnitId('unitId') unitId: string;
  @IsString() @Length(1, 500) @notBlank('reason') @noControl('reason') reason: string;
  @IsOptional() @IsIn(CAPABILITIES) capability?: string;
}

/** `POST /api/incidents/:id/alarms`: strike a further alarm. */
export class StrikeAlarmDto {
  @Min(2) @Max(5) @IsInt({ message: 'level must be a whole number (2 to 5)' }) level: number;
}

/** Query of `GET /api/incidents`. */
export class ListIncidentsQuery {
  @IsOptional() @IsIn(['true', 'false', '1', '0']) open?: string;
  @IsOptional() @IsIn(['true', 'false']) exercise?: string;
  @IsOptional() @IsString() @MaxLength(80) drillId?: string;
  @IsOptional() @Matches(/^([1-9]\d{0,2}|1000)$/, { message: 'limit must be an integer 1..1000' }) limit?: string;
  /** Incidents to skip (paging with `limit`; the answer's `total` counts them all). */
  @IsOptional() @Matches(/^(0|[1-9]\d{0,8})$/, { message: 'offset must be an integer 0..999999999' }) offset?: string;
  /** Text to find in the address or call type (any script; compared after Unicode NFC normalisation). */
  @IsOptional() @IsString() @Length(1, 200) @noControl('q') q?: string;
}

/** `POST /api/incidents/:id/merge`: the incident this one duplicates, and why. */
export class MergeDto {
  @IsUUID('all', { message: 'into must be the id (UUID) of the incident to merge into' }) into: string;
  @IsString() @Length(1, 500) @notBlank('reason') @noControl('reason') reason: string;
}
