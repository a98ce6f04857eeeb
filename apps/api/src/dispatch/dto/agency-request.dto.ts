import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { isUnitId } from '../../common/validation';

/** `GET /api/agency-requests?incidentId=&open=true`. */
export class ListAgencyRequestsQuery {
  @IsOptional() @IsUUID('all', { message: 'incidentId must be an incident id (UUID)' }) incidentId?: string;
  @IsOptional() @IsIn(['true', 'false', '1', '0']) open?: string;
}

/** `POST /api/agency-requests/:id/accept`: the agency's post sends one of its units. */
export class AcceptAgencyRequestDto {
  @IsString() @isUnitId('unitId') unitId: string;
}

/** `POST /api/agency-requests/:id/decline`: the agency's post has no unit to send, and says why. */
export class DeclineAgencyRequestDto {
  @IsString() @MinLength(1, { message: 'reason is required' }) @MaxLength(500) reason: string;
}
