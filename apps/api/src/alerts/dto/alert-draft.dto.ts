import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationArguments,
} from 'class-validator';
import { noControl, notBlank, wgs84 } from '../../common/validation';
import { CAP_CATEGORY, CAP_CERTAINTY, CAP_RESPONSE_TYPE, CAP_SEVERITY, CAP_URGENCY } from '../cap/cap-message';

/** A list of `[lat, lon]` WGS84 points, naming the field and the first bad point. */
const latLonRing = (field: string) =>
  ValidateBy({
    name: 'latLonRing',
    validator: {
      validate: (v: unknown) => Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Math.abs(p[0]) <= 90 && Math.abs(p[1]) <= 180),
      defaultMessage: (a?: ValidationArguments) => {
        const bad = Array.isArray(a?.value) ? (a.value as unknown[]).findIndex((p) => !(Array.isArray(p) && p.length === 2 && Math.abs(Number(p[0])) <= 90 && Math.abs(Number(p[1])) <= 180)) : -1;
        return `${field} must be a list of [lat, lon] points in WGS84 degrees (lat -90..90, lon -180..180)${bad >= 0 ? `; point ${bad} is not` : ''}`;
      },
    },
  });

/** A circle: centre in WGS84 degrees, radius in kilometres. */
export class AlertCircleDto {
  @wgs84('lat') lat: number;
  @wgs84('lon') lon: number;
  @IsNumber({}, { message: 'radiusKm must be a number of kilometres' }) @Min(0.01, { message: 'radiusKm must be at least 0.01 km' }) @Max(500) radiusKm: number;
}

/**
 * The area warned: exactly one of a jurisdiction (its boundary), a drawn polygon, or a circle. Nested
 * objects name their fields bare: the validation pipe prefixes the path (`area.polygon`, `infos.1.headline`).
 */
export class AlertAreaDto {
  /** What residents read as the place (`Mission district`); defaults to the jurisdiction's name. */
  @IsOptional() @IsString() @MaxLength(300) @noControl('areaDesc') areaDesc?: string;
  /** A jurisdiction of the command chain (`sf-d9`): its boundary, simplified to fit phones. */
  @IsOptional() @IsString() @MaxLength(120) jurisdictionId?: string;
  /** A closed ring of `[lat, lon]` points (first = last), at least 4 (CAP order: latitude first). */
  @IsOptional() @IsArray() @ArrayMinSize(4, { message: 'polygon needs at least 4 points (3 corners and the first again)' }) @ArrayMaxSize(100, { message: 'polygon has more than 100 points; phones (WEA) take at most 100' }) @latLonRing('polygon') polygon?: [number, number][];
  @IsOptional() @ValidateNested() @Type(() => AlertCircleDto) circle?: AlertCircleDto;
}

/** The words of one `info` block, in one language. */
export class AlertTextDto {
  /** RFC 3066 language tag (`en-US`, `zh-CN`, `es`). */
  @IsString() @Matches(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, { message: 'language must be a language tag such as en-US or zh-CN' }) language: string;
  @IsString() @IsNotEmpty() @MaxLength(160) @notBlank('headline') @noControl('headline') headline: string;
  @IsOptional() @IsString() @MaxLength(4000) @noControl('description') description?: string;
  @IsOptional() @IsString() @MaxLength(4000) @noControl('instruction') instruction?: string;
  /** The event in this language; defaults to the alert's `event`. */
  @IsOptional() @IsString() @MaxLength(120) @noControl('event') event?: string;
}

/**
 * An alert as a commander writes it (`POST /api/alerts`, `POST /api/alerts/:id/update`). Times are
 * ISO-8601 instants; the CAP message carries them with an offset (`-00:00`). One `infos` entry per
 * language, each becoming a CAP `info` block with the same category, event, urgency, severity,
 * certainty, times and area.
 */
export class AlertDraftDto {
  /** `Actual` reaches the public; `Exercise` is a drill alert, never on the live public feed. */
  @IsIn(['Actual', 'Exercise'], { message: 'status must be Actual or Exercise' }) status: 'Actual' | 'Exercise';
  /** The incident the alert is about, if any. */
  @IsOptional() @IsUUID('all', { message: 'incidentId must be an incident id (UUID)' }) incidentId?: string;
  /** The template the author started from (for the record). */
  @IsOptional() @IsString() @MaxLength(40) template?: string;
  @IsIn(CAP_CATEGORY, { message: `category must be one of ${CAP_CATEGORY.join(', ')}` }) category: string;
  @IsString() @IsNotEmpty() @MaxLength(120) @notBlank('event') @noControl('event') event: string;
  @IsIn(CAP_RESPONSE_TYPE, { message: `responseType must be one of ${CAP_RESPONSE_TYPE.join(', ')}` }) responseType: string;
  @IsIn(CAP_URGENCY, { message: `urgency must be one of ${CAP_URGENCY.join(', ')}` }) urgency: string;
  @IsIn(CAP_SEVERITY, { message: `severity must be one of ${CAP_SEVERITY.join(', ')}` }) severity: string;
  @IsIn(CAP_CERTAINTY, { message: `certainty must be one of ${CAP_CERTAINTY.join(', ')}` }) certainty: string;
  /** When the alert takes effect (default: when issued). */
  @IsOptional() @IsISO8601({ strict: true }, { message: 'effective must be an ISO-8601 date-time' }) effective?: string;
  @IsISO8601({ strict: true }, { message: 'expires must be an ISO-8601 date-time' }) expires: string;
  @ValidateNested() @Type(() => AlertAreaDto) area: AlertAreaDto;
  @IsArray() @ArrayMinSize(1, { message: 'infos needs at least one language' }) @ArrayMaxSize(8) @ValidateNested({ each: true }) @Type(() => AlertTextDto) infos: AlertTextDto[];
}

/** `POST /api/alerts/:id/cancel` body. */
export class CancelAlertDto {
  /** Why, shown to residents with the cancellation (optional). */
  @IsOptional() @IsString() @MaxLength(500) @noControl('reason') reason?: string;
}
