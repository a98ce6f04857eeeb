import type { MoveUpStatus } from './move-up-policy';

/**
 * One move-up as the API answers it (`GET /api/move-ups`) and consoles show it: people-readable names
 * beside the ids (call sign, station names). Times are ISO-8601 UTC (simulated time in a drill).
 */
export interface MoveUpView {
  id: string;
  /** `live` or the drill run id. */
  world: string;
  unitId: string;
  /** The unit's radio call sign (what people read). */
  callsign: string;
  fromStationId: string | null;
  fromStationName: string | null;
  toStationId: string;
  toStationName: string;
  /** District the unit is based in: its post consents. */
  owningDistrictId: string | null;
  /** `proposed` (waiting for agreement), `moving` (applied: the unit set off), `done`, `refused`, `cancelled`. */
  status: MoveUpStatus;
  /** How the dispatcher agreed: `confirmed`, `timeout`, or null (not yet). */
  dispatcher: 'confirmed' | 'timeout' | null;
  districtConsented: boolean;
  crewAcknowledged: boolean;
  /** The dispatcher's timeout, seconds (null: explicit confirmation needed). */
  confirmTimeoutS: number | null;
  /** Demand share (0..1) covered where the unit goes, and left uncovered where it was, when proposed. */
  gainShare: number;
  gapShare: number;
  reason: string | null;
  /** The incident the unit was dispatched to, when that cancelled the move. */
  incidentId: string | null;
  proposedAt: string;
  startedAt: string | null;
  endedAt: string | null;
}
