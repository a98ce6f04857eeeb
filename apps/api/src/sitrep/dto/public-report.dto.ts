import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { noControl, notBlank, wgs84 } from '../../common/validation';

const nfc = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

/** What a resident may report from the public page, and the call type each becomes when a call taker accepts it. */
export const PUBLIC_REPORT_TYPES: Record<string, string> = {
  fire: 'Structure Fire',
  medical: 'Medical Incident',
  traffic: 'Traffic Collision',
  gas: 'Gas Leak (Natural and LP Gases)',
  water: 'Water Rescue',
  hazard: 'Other',
};

/**
 * `POST /api/public/reports`: a resident's report, no sign-in. `deviceId` is the random id the page
 * keeps on the device (its per-device limit); coordinates are WGS84 degrees (the browser's location
 * or a map tap), `accuracyM` metres.
 */
export class CreatePublicReportDto {
  @IsIn(['emergency', 'hazard'], { message: 'kind must be emergency or hazard' }) kind: 'emergency' | 'hazard';
  @IsIn(Object.keys(PUBLIC_REPORT_TYPES), { message: `type must be one of ${Object.keys(PUBLIC_REPORT_TYPES).join(', ')}` }) type: string;
  @Transform(nfc) @IsString() @IsNotEmpty({ message: 'description is required' }) @MaxLength(2000) @notBlank('description') @noControl('description') description: string;
  @wgs84('lat') lat: number;
  @wgs84('lon') lon: number;
  @IsOptional() @IsNumber({}, { message: 'accuracyM must be a number (metres)' }) @Min(0) @Max(100000) accuracyM?: number;
  @IsOptional() @Transform(nfc) @IsString() @MaxLength(40) @Matches(/^\+?[0-9 ()-]{3,40}$/, { message: 'contact must be a phone number' }) contact?: string;
  @IsString({ message: 'deviceId is required (the page makes one)' }) @Matches(/^[A-Za-z0-9_-]{16,64}$/, { message: 'deviceId must be 16 to 64 letters, digits, _ or -' }) deviceId: string;
  @IsOptional() @IsIn(['en', 'zh-CN'], { message: 'language must be en or zh-CN' }) language?: string;
}

/** `POST /api/public-reports/:id/accept`: the call taker turns a resident's report into a call for service. */
export class AcceptPublicReportDto {
  /** 1 = emergency, 2 = urgent, 3 = non-emergency (default: 1 for an emergency, 3 for a hazard). */
  @IsOptional() @IsIn([1, 2, 3], { message: 'priority must be 1, 2 or 3' }) priority?: 1 | 2 | 3;
  /** The call type to dispatch, when the call taker corrects the resident's choice. */
  @IsOptional() @Transform(nfc) @IsString() @IsNotEmpty() @MaxLength(120) @noControl('type') type?: string;
}

/** `POST /api/public-reports/:id/link`: the report is about an open incident (often the suggested one). */
export class LinkPublicReportDto {
  @IsString() @Matches(/^[0-9a-f-]{36}$/i, { message: 'incidentId must be an incident id (UUID)' }) incidentId: string;
}

/** `POST /api/public-reports/:id/dismiss`: not an emergency (a prank, out of scope, already known). */
export class DismissPublicReportDto {
  @Transform(nfc) @IsString() @IsNotEmpty({ message: 'reason is required' }) @MaxLength(500) @noControl('reason') reason: string;
}
