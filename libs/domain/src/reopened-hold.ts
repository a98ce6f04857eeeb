/** What a reopened incident waits for (its `lastError` while held): a dispatcher's confirmation before units are sent. */
export const REOPENED_HOLD = 'reopened: dispatch units when a dispatcher confirms';
