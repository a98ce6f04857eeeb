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
