import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { isUnitId, isWorld, noControl, notBlank } from '../../common/validation';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.normalize('NFC').trim() : value);

/** `POST /api/move-ups`: a dispatcher proposes moving an available unit to a station (under `apply`). */
export class ProposeMoveUpDto {
  @IsString({ message: 'unitId must be a unit id such as E38' }) @isUnitId('unitId') unitId: string;
  @IsString({ message: 'toStationId must be a station id such as st-16' }) @Length(1, 40, { message: 'toStationId must be a station id such as st-16' }) toStationId: string;
  /** `live` (default) or a drill run id. */
  @IsOptional() @IsString() @isWorld('world') world?: string;
}

/** `POST /api/move-ups/:id/refuse`: why (1 to 300 characters). */
export class RefuseMoveUpDto {
  @Transform(trimmed) @IsString() @Length(1, 300, { message: 'reason must be 1 to 300 characters' }) @notBlank('reason') @noControl('reason') reason: string;
}

/** `GET /api/move-ups?world=&jurisdictionId=&status=`. */
export class MoveUpListQuery {
  @IsOptional() @IsString() @isWorld('world') world?: string;
  @IsOptional() @IsString() @MaxLength(120) jurisdictionId?: string;
  /** `open` (default: proposed or moving) or `all`. */
  @IsOptional() @IsIn(['open', 'all'], { message: 'status must be open or all' }) status?: 'open' | 'all';
}
