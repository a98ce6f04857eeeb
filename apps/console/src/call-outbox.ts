/**
 * Offline call capture: while CAD is down, a call taken on the console's call form is kept in an
 * outbox (localStorage, so a reload keeps it) with the time it was taken; when CAD is back the calls
 * are sent in the order taken, each with its original time (`receivedAt`) and `takenOffline: true`,
 * so the record marks it entered late rather than slow. A call the server refuses (4xx) is kept aside
 * with the reason, never dropped; a network failure or 5xx stops the flush and keeps the rest.
 */
import type { NewCall } from './api';

/** A call kept in the outbox. */
export interface OfflineCall extends NewCall {
  /** When the call was taken (ISO-8601, this device's clock). */
  receivedAt: string;
  takenOffline: true;
  /** The outbox's own id for the call. */
  outboxId: string;
}

/** What one flush did. */
export interface FlushResult {
  /** Calls the server accepted, in the order sent: outbox id → call id. */
  sent: Array<{ outboxId: string; callId: string; receivedAt: string }>;
  /** Calls the server refused (kept aside, with the reason). */
  refused: Array<{ call: OfflineCall; error: string }>;
  /** Calls still waiting (the server went away again). */
  waiting: number;
}

/** The storage the outbox keeps its calls in (localStorage in the browser). */
export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const KEY = 'cad.callOutbox';
const REFUSED_KEY = 'cad.callOutbox.refused';

/** True for an error that means CAD could not take the call (network down, 5xx): the call goes to the outbox. */
export function isOutage(err: unknown): boolean {
  if (err instanceof TypeError) return true; // fetch: the network or the API is down
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 500;
}

/** The console's outbox of calls taken while CAD was down. */
export class CallOutbox {
  private flushing: Promise<FlushResult> | null = null;

  constructor(private readonly storage: OutboxStorage) {}

  /** Calls waiting, oldest first. */
  list(): OfflineCall[] {
    return read<OfflineCall>(this.storage, KEY);
  }

  /** Calls the server refused, with why. */
  refused(): Array<{ call: OfflineCall; error: string }> {
    return read(this.storage, REFUSED_KEY);
  }

  /**
   * Keeps a call taken now (or at `takenAt`) for sending when CAD is back.
   * @returns the kept call
   */
  keep(call: NewCall, takenAt: Date = new Date()): OfflineCall {
    const kept: OfflineCall = { ...call, receivedAt: takenAt.toISOString(), takenOffline: true, outboxId: `${takenAt.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}` };
    this.storage.setItem(KEY, JSON.stringify([...this.list(), kept]));
    return kept;
  }

  /**
   * Sends the waiting calls in the order taken, removing each once accepted. One flush at a time (a
   * second call joins the running one).
   * @param send posts one call (`POST /api/calls`), answering its id; throws on failure
   */
  flush(send: (call: NewCall & { receivedAt: string; takenOffline: true }) => Promise<{ id: string }>): Promise<FlushResult> {
    this.flushing ??= this.run(send).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async run(send: (call: NewCall & { receivedAt: string; takenOffline: true }) => Promise<{ id: string }>): Promise<FlushResult> {
    const result: FlushResult = { sent: [], refused: [], waiting: 0 };
    for (const call of this.list()) {
      const { outboxId, ...body } = call;
      try {
        const created = await send(body);
        result.sent.push({ outboxId, callId: created.id, receivedAt: call.receivedAt });
      } catch (err) {
        if (isOutage(err)) break;
        const error = err instanceof Error ? err.message : String(err);
        result.refused.push({ call, error });
        this.storage.setItem(REFUSED_KEY, JSON.stringify([...this.refused(), { call, error }]));
      }
      this.storage.setItem(KEY, JSON.stringify(this.list().filter((c) => c.outboxId !== outboxId)));
    }
    result.waiting = this.list().length;
    return result;
  }
}

function read<T>(storage: OutboxStorage, key: string): T[] {
  try {
    const v = JSON.parse(storage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}
