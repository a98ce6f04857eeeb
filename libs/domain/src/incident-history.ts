/** Past incidents: what the history search answers, and the hold on a reopened incident. */

/** What a reopened incident waits for (its `lastError` while held): a dispatcher's confirmation before units are sent. */
export const REOPENED_HOLD = 'reopened: dispatch units when a dispatcher confirms';

/** One past incident as the history search lists it (open it with `GET /api/incidents/:id`). */
export interface HistoryItem {
  id: string;
  callNumber: string | null;
  type: string;
  priority: number;
  address: string | null;
  status: string;
  /** ISO 8601. */
  receivedAt: string;
  /** ISO 8601; null for an incident closed before the time was kept. */
  closedAt: string | null;
  disposition: string | null;
  /** Names (never ids) of the street and district that hold it. */
  street: string | null;
  district: string | null;
}

/** A page of the history search, newest first: `total` counts every match. */
export interface HistoryPage {
  items: HistoryItem[];
  total: number;
  limit: number;
  offset: number;
}
