/**
 * A text message from a dispatcher to a unit's phone, with its read receipt (`GET /api/units/:id/messages`,
 * and the payload of `unit.message` and `unit.message_receipt`). Times are ISO-8601 UTC.
 */
export interface UnitMessageView {
  id: string;
  unitId: string;
  incidentId: string | null;
  text: string;
  sentBy: string;
  sentAt: string;
  deliveredAt: string | null;
  readAt: string | null;
  /** `sent` (not yet on the phone), `delivered` (the phone has it) or `read` (the crew marked it read). */
  state: 'sent' | 'delivered' | 'read';
}

/** A premise or hazard note kept at an address (`/api/premise-notes`); `distanceM` only on lookups by point. */
export interface PremiseNoteView {
  id: string;
  lat: number;
  lon: number;
  address: string | null;
  /** `premise` (access, key box, contacts) or `hazard` (a danger to crews). */
  kind: 'premise' | 'hazard';
  text: string;
  updatedBy: string;
  updatedAt: string;
  /** Metres from the point looked up (great-circle). */
  distanceM?: number;
}

/** A hospital of the city profile (`GET /api/hospitals`); `distanceM` from the incident when one is given. */
export interface HospitalView {
  name: string;
  /** WGS84 degrees. */
  lat: number;
  lon: number;
  /** Where the profile's entry comes from. */
  source: string;
  distanceM?: number;
}

/** Payload of `assignment.hospital`: the hospital a unit transports to. */
export interface HospitalChoice {
  incidentId: string;
  assignmentId: string;
  unitId: string;
  hospital: { name: string; lat: number; lon: number };
  chosenBy: string;
}

/**
 * The on-scene welfare (PAR) timer of an incident (`GET /api/incidents/:id/par`, `GET /api/par`): due
 * `PAR_INTERVAL_S` after the first unit on scene, then after each PAR. Times ISO-8601 UTC.
 */
export interface ParTimer {
  incidentId: string;
  intervalS: number;
  /** When the first unit arrived on scene (null: none yet, no timer). */
  onSceneAt: string | null;
  lastParAt: string | null;
  /** When the next PAR is due (null: no unit on scene yet). */
  dueAt: string | null;
  overdue: boolean;
}

/** An earlier incident at the same location (`GET /api/incidents/:id/history`), newest first. */
export interface EarlierIncident {
  id: string;
  type: string;
  priority: number;
  status: string;
  address: string | null;
  disposition: string | null;
  createdAt: string;
  /** Metres from the incident asked about (great-circle). */
  distanceM: number;
}
