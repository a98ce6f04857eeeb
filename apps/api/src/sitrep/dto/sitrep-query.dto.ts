import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { isWorld } from '../../common/validation';

/** `GET /api/sitrep` and `/api/sitrep/html`: whose situation, over which period (ISO-8601 instants, `[from, to)`), in which world. */
export class SitrepQueryDto {
  /** A street, district or city id; default the reader's own jurisdiction. */
  @IsOptional() @IsString() @MaxLength(120) @Matches(/^[a-z0-9-]+$/, { message: 'jurisdictionId must be a jurisdiction id such as sf-d2' }) jurisdictionId?: string;
  /** Start of the period; default 24 hours before `to`. */
  @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be an ISO-8601 instant' }) from?: string;
  /** End of the period; default now on the world's clock. */
  @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be an ISO-8601 instant' }) to?: string;
  /** `live` (default) or a drill run id. */
  @IsOptional() @isWorld('world') world?: string;
}

/** `GET /api/sitrep/briefings`. */
export class BriefingsQueryDto {
  @IsOptional() @isWorld('world') world?: string;
}

/** `GET /api/sitrep/damage-reports`: one of the two. */
export class DamageHistoryQueryDto {
  @IsOptional() @IsString() @Matches(/^[0-9a-f-]{36}$/i, { message: 'incidentId must be an incident id (UUID)' }) incidentId?: string;
  @IsOptional() @IsString() @MaxLength(120) @Matches(/^[a-z0-9-]+$/, { message: 'streetId must be a street id such as sf-d3-nob-hill' }) streetId?: string;
}
