import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { noControl, noInvisible, notBlank, wgs84 } from '../../common/validation';

/** `POST /api/incidents/:id/location`: where the incident really is (WGS84 degrees), its address, and why it moved. */
export class LocationChangeDto {
  @wgs84('lat') lat: number;
  @wgs84('lon') lon: number;
  @IsOptional() @IsString() @MaxLength(300) @noInvisible('address') @noControl('address') address?: string;
  @IsString() @Length(1, 500) @notBlank('reason') @noControl('reason') reason: string;
}
