import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { noControl, notBlank, wgs84 } from '../../common/validation';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

/** `POST /api/premise-notes` and `PUT /api/premise-notes/:id`: where (WGS84), what kind, and the note. */
export class PremiseNoteDto {
  @wgs84('lat') lat: number;
  @wgs84('lon') lon: number;
  @IsOptional() @Transform(trimmed) @IsString() @Length(1, 200) @noControl('address') address?: string;
  @IsIn(['premise', 'hazard'], { message: 'kind must be premise or hazard' }) kind: 'premise' | 'hazard';
  @Transform(trimmed) @IsString() @Length(1, 1000, { message: 'text must be 1 to 1000 characters' }) @notBlank('text') @noControl('text') text: string;
}

const DECIMAL = /^-?\d{1,3}(\.\d{1,12})?$/;

/** `GET /api/premise-notes?lat=&lon=`: notes near a point (within `PREMISE_NOTE_RADIUS_M`). */
export class PremiseNotesQuery {
  @Matches(DECIMAL, { message: 'lat must be a latitude in WGS84 degrees' }) lat: string;
  @Matches(DECIMAL, { message: 'lon must be a longitude in WGS84 degrees' }) lon: string;
}
