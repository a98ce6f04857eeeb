import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';

/** `POST /api/assignments/:id/hospital {hospital}`: the name of a hospital the city profile lists. */
export class ChooseHospitalDto {
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value)) @IsString() @Length(1, 200) hospital: string;
}

/** `GET /api/hospitals?incidentId=`: nearest to that incident first. */
export class HospitalsQuery {
  @IsOptional() @IsUUID('all', { message: 'incidentId must be an incident id (a UUID)' }) incidentId?: string;
}
