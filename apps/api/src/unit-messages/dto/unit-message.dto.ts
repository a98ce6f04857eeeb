import { Transform } from 'class-transformer';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { noControl, notBlank } from '../../common/validation';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

/** `POST /api/units/:id/messages`: the text (1 to 500 characters, any script) and the incident it is about, if any. */
export class SendMessageDto {
  @Transform(trimmed) @IsString() @Length(1, 500, { message: 'text must be 1 to 500 characters' }) @notBlank('text') @noControl('text') text: string;
  @IsOptional() @IsUUID('all', { message: 'incidentId must be an incident id (a UUID)' }) incidentId?: string;
}
