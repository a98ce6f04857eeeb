/**
 * Offline call capture: while CAD is down, a call taken on the console's call form is kept in an
 * outbox (localStorage, so a reload keeps it) with the time it was taken; when CAD is back the calls
 * are sent in the order taken, each with its original time (`receivedAt`) and `takenOffline: true`,
 * so the record marks it entered late rather than slow. A call the server refuses (4xx) is kept aside
 * with the reason, never dropped; a network failure or 5xx stops the flush and keeps the rest.
 *
 * Each kept call carries its own call number (`OFF-<UTC time taken>-<random>`, the outbox id), so a
 * sync replayed (an answer lost before the call left the outbox, or a second tab flushing the same
 * storage) meets the stored call: the API answers its id with `duplicate: true` and places it once.
 * Every call synced, and what the server answered, is kept in a synced list for the audit.
 */
import type { NewCall } from './api';

/** A call kept in the outbox. */
export interface OfflineCall extends NewCall {
  /** When the call was taken (ISO-8601, this device's clock). */
  receivedAt: string;
  takenOffline: true;
  /** The call's own number, the outbox id (see {@link offlineCallNumber}). */
  callNumber: string;
  /** The outbox's own id for the call. */
  outboxId: string;
}

/** One call taken offline as the synced list keeps it: when it was sent and what the server answered. */
export interface SyncedCall {
  call: OfflineCall;
  /** When the server answered (ISO-8601, this device's clock). */
  sentAt: string;
  /** The call's id in CAD when it was accepted. */
  callId?: string;
  /** The server's refusal, when it refused the call. */
  error?: string;
  /** True when the server already had the call (a replayed sync): placed once. */
  repeated?: boolean;
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
const SYNCED_KEY = 'cad.callOutbox.synced';
/** Synced calls kept for the audit list, newest last (older ones are dropped). */
const SYNCED_KEEP = 200;

/** The outbox id and call number of a call taken at `at`: `OFF-20261204T101500Z-k3j2d1` (sorts by time taken). */
export function offlineCallNumber(at: Date, random: () => number = Math.random): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `OFF-${stamp}-${random().toString(36).slice(2, 8).padEnd(6, '0')}`;
}

/** True for an error that means CAD could not take the call (network down, 5xx): the call goes to the outbox. */
export function isOutage(err: unknown): boolean {
  if (err instanceof TypeError) return true; // fetch: the network or the API is down
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 500;
}

/** Posts one call taken offline; answers its id, `duplicate: true` when CAD already had it. */
export type Send = (call: NewCall & { callNumber: string; receivedAt: string; takenOffline: true }) => Promise<{ id: string; duplicate?: boolean }>;

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

  /** Every call synced (accepted or refused), in the order sent; a replayed one appears once. */
  synced(): SyncedCall[] {
    return read(this.storage, SYNCED_KEY);
  }

  private noteSynced(entry: SyncedCall): void {
    const rest = this.synced().filter((x) => x.call.outboxId !== entry.call.outboxId);
    this.storage.setItem(SYNCED_KEY, JSON.stringify([...rest, entry].slice(-SYNCED_KEEP)));
  }

  /**
   * Keeps a call taken now (or at `takenAt`) for sending when CAD is back.
   * @returns the kept call
   */
  keep(call: NewCall, takenAt: Date = new Date()): OfflineCall {
    const outboxId = offlineCallNumber(takenAt);
    const kept: OfflineCall = { ...call, callNumber: outboxId, receivedAt: takenAt.toISOString(), takenOffline: true, outboxId };
    this.storage.setItem(KEY, JSON.stringify([...this.list(), kept]));
    return kept;
  }

  /**
   * Sends the waiting calls in the order taken, removing each once accepted. One flush at a time (a
   * second call joins the running one).
   * @param send posts one call (`POST /api/calls`), answering its id (and `duplicate: true` when CAD
   *   already had it); throws on failure
   */
  flush(send: Send): Promise<FlushResult> {
    this.flushing ??= this.run(send).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async run(send: Send): Promise<FlushResult> {
    const result: FlushResult = { sent: [], refused: [], waiting: 0 };
    for (const call of this.list()) {
      const { outboxId, ...body } = call;
      try {
        const created = await send(body);
        result.sent.push({ outboxId, callId: created.id, receivedAt: call.receivedAt });
        this.noteSynced({ call, sentAt: new Date().toISOString(), callId: created.id, ...(created.duplicate ? { repeated: true } : {}) });
      } catch (err) {
        if (isOutage(err)) break;
        const error = err instanceof Error ? err.message : String(err);
        result.refused.push({ call, error });
        this.storage.setItem(REFUSED_KEY, JSON.stringify([...this.refused(), { call, error }]));
        this.noteSynced({ call, sentAt: new Date().toISOString(), error });
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
