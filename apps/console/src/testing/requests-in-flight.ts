/**
 * REST requests held in flight by a test: each is answered (or failed) by hand, so a test can let a live
 * event arrive while a read is pending, and let reads land in any order.
 */
export interface HeldRequest {
  method: string;
  path: string;
  body?: unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Every request not answered yet, oldest first. */
export const held: HeldRequest[] = [];

/** A stand-in for `request` (and the fetch helpers) of `api.ts`: the request waits in {@link held}. */
export function holdRequest(method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => held.push({ method, path, body, resolve, reject }));
}

/** Takes the oldest held request whose path contains `part` (throws naming the held ones when none). */
export function takeRequest(part: string, method?: string): HeldRequest {
  const i = held.findIndex((r) => r.path.includes(part) && (!method || r.method === method));
  if (i < 0) throw new Error(`no request ${method ?? ''} ${part} in flight: ${held.map((r) => `${r.method} ${r.path}`).join(', ') || 'none'}`);
  return held.splice(i, 1)[0];
}

/** Lets promise callbacks run (a few turns of the event loop). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}
