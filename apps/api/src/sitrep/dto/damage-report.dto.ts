import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, registerDecorator, ValidateIf, ValidateNested } from 'class-validator';
import type { LineString } from 'geojson';
import { LIFELINES, type Lifeline } from '@cad/domain';
import { closureGeometryProblem } from '../../closures/dto/road-closure.dto';
import { isWorld, NO_CONTROL, noControl } from '../../common/validation';

const count = (field: string) => [IsInt({ message: `${field} must be a whole number of people or buildings` }), Min(0, { message: `${field} must be 0 or more` }), Max(1_000_000, { message: `${field} must be at most 1000000` })];
const apply = (ds: PropertyDecorator[]) => (t: object, k: string | symbol) => ds.forEach((d) => d(t, k));

/** Casualties by START triage category, people. */
export class CasualtiesDto {
  @apply(count('casualties.immediate')) immediate: number;
  @apply(count('casualties.delayed')) delayed: number;
  @apply(count('casualties.minor')) minor: number;
  @apply(count('casualties.deceased')) deceased: number;
}

/** Each element a GeoJSON LineString of `[lon, lat]` WGS84 positions (a blocked road as drawn). */
function IsBlockedRoads() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isBlockedRoads',
      target: object.constructor,
      propertyName,
      validator: {
        validate: (v: unknown) => Array.isArray(v) && v.every((g) => (g as { type?: string })?.type === 'LineString' && closureGeometryProblem(g) === null),
        defaultMessage: (a) => {
          const v = a?.value;
          if (!Array.isArray(v)) return 'blockedRoads must be an array of GeoJSON LineStrings';
          const i = v.findIndex((g) => (g as { type?: string })?.type !== 'LineString' || closureGeometryProblem(g) !== null);
          return `blockedRoads[${i}]: ${(v[i] as { type?: string })?.type !== 'LineString' ? 'geometry.type must be LineString' : closureGeometryProblem(v[i])}`;
        },
      },
    });
}

/**
 * `POST /api/sitrep/damage-reports`: a field report about an incident (`incidentId`) or a street
 * (`streetId`), exactly one of the two. Counts are people or buildings; `blockedRoads` are drawn lines.
 * Posting again about the same subject makes the next version (the earlier ones are kept).
 */
export class CreateDamageReportDto {
  @ValidateIf((o: CreateDamageReportDto) => o.streetId === undefined) @IsUUID('all', { message: 'incidentId must be an incident id (UUID); give incidentId or streetId' }) incidentId?: string;
  @ValidateIf((o: CreateDamageReportDto) => o.incidentId === undefined) @IsString({ message: 'streetId must be a street (jurisdiction) id; give incidentId or streetId' }) @MaxLength(120) @Matches(/^[a-z0-9-]+$/, { message: 'streetId must be a street id such as sf-d3-nob-hill' }) streetId?: string;
  @ValidateNested() @Type(() => CasualtiesDto) casualties: CasualtiesDto;
  @apply(count('displaced')) displaced: number;
  @apply(count('buildingsDamaged')) buildingsDamaged: number;
  @apply(count('buildingsDestroyed')) buildingsDestroyed: number;
  @IsOptional() @ArrayMaxSize(200) @IsBlockedRoads() blockedRoads?: LineString[];
  @IsOptional() @IsArray() @IsIn([...LIFELINES], { each: true, message: `lifelinesOut must hold only ${LIFELINES.join(', ')}` }) lifelinesOut?: Lifeline[];
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(300, { each: true }) @Matches(NO_CONTROL, { each: true, message: 'needs must not contain control characters' }) needs?: string[];
  @IsOptional() @IsString() @MaxLength(4000) @noControl('notes') notes?: string;
  /** The version this report corrects (the newest the author saw); a stale one is refused with 409, so nothing is overwritten unseen. */
  @IsOptional() @IsInt() @Min(1) baseVersion?: number;
  /** `live` (default) or the drill run id this assessment belongs to. */
  @IsOptional() @isWorld('world') world?: string;
}
