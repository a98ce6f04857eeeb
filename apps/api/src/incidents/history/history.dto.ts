import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { noControl } from '../../common/validation';

/** Query of `GET /api/incident-history`: every field optional; text matches are case-insensitive parts. */
export class HistoryQuery {
  /** Part of the call number (`C-000123`, `000123`). */
  @IsOptional() @IsString() @Length(1, 80) @noControl('callNumber') callNumber?: string;
  /** Part of the address, in any script (compared after Unicode NFC normalisation). */
  @IsOptional() @IsString() @Length(1, 200) @noControl('address') address?: string;
  /** Part of the call type (`Medical`, `Structure Fire`). */
  @IsOptional() @IsString() @Length(1, 120) @noControl('type') type?: string;
  /** Received at or after this instant or day (ISO 8601). */
  @IsOptional() @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 date or time, e.g. 2026-12-01' }) from?: string;
  /** Received before this instant, or on or before this day (ISO 8601 date: the whole day counts). */
  @IsOptional() @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 date or time, e.g. 2026-12-04' }) to?: string;
  /** `closed`, `cancelled`, or both when absent. */
  @IsOptional() @IsIn(['closed', 'cancelled'], { message: 'status must be closed or cancelled' }) status?: string;
  @IsOptional() @Matches(/^([1-9]\d?|100)$/, { message: 'limit must be an integer 1..100' }) limit?: string;
  @IsOptional() @Matches(/^(0|[1-9]\d{0,8})$/, { message: 'offset must be an integer 0..999999999' }) offset?: string;
}
