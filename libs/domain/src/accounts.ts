/** Views of accounts and of the audit trail, as the API answers them and the console shows them. */

/** An account (never its password hash). Times are ISO 8601 instants. */
export interface UserView {
  id: string;
  username: string;
  displayName: string;
  /** `city_commander`, `district_dispatcher`, `street_dispatcher`, `responder`, `observer`. */
  role: string;
  /** The jurisdiction whose subtree the post covers (null for responders). */
  jurisdictionId: string | null;
  /** The unit a responder crews (null for everyone else). */
  unitId: string | null;
  disabled: boolean;
  /** A demo account: signs in only on a record marked as a demo. */
  demo: boolean;
  /** False for the first commander until the first password is set. */
  passwordSet: boolean;
  createdAt: string;
}

/** One audit entry: who did what to what, when (ISO 8601), from which address, the state before and after. */
export interface AuditView {
  /** Increasing entry id (a bigint, as a string). */
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  source: string | null;
  before: unknown;
  after: unknown;
}
