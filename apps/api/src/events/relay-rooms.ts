/**
 * Where the relay sends an event besides the jurisdiction rooms: the phone rooms of units, and the
 * shape a client receives.
 */

/** Whether an event may go to a unit's phone room: live events only (drill crews are simulated, phones never get a drill task). */
export function toPhones(e: { world?: string }): boolean {
  return (e.world ?? 'live') === 'live';
}

/**
 * The rooms an `avl` position of unit `unitId` in `world` goes to, given the jurisdiction chain of the
 * unit's street (street, district, city ids). Live: `jurisdiction:<id>` of each, and the unit's phone
 * room. A drill world (its run id): only the rooms of sockets watching drills, `drills:jurisdiction:<id>`
 * (`subscribe { drills: true }`) and `drill:<world>:jurisdiction:<id>` (that run's id), never a live-only
 * console (it would draw drill positions under live unit ids) nor a phone. A socket is in at most one
 * of these per jurisdiction, so it receives each position once.
 */
export function avlRooms(chain: string[], world: string, unitId: string): string[] {
  if (toPhones({ world })) return [...chain.map((j) => `jurisdiction:${j}`), `unit:${unitId}`];
  return chain.flatMap((j) => [`drills:jurisdiction:${j}`, `drill:${world}:jurisdiction:${j}`]);
}

/** An event as the relay reads it from the log. */
export type RelayedEvent = { type: string; payload: unknown; jurisdictionIds: string[]; unitId: string | null; world?: string };

/**
 * The phone rooms (`unit:<id>`) a live event goes to: its own unit's, and for `incident.updated` (its
 * payload is the incident's view) the rooms of the units with a task on the incident still in force
 * (neither released nor cleared), so a crew sees a new address, priority or note of its incident. A
 * unit whose task was released or cleared, or that never had one, is not sent it; a drill's events go
 * to no phone.
 */
export function phoneRoomsOf(e: RelayedEvent): string[] {
  if (!toPhones(e)) return [];
  const units = new Set<string>(e.unitId ? [e.unitId] : []);
  if (e.type === 'incident.updated') {
    const assignments = (e.payload as { assignments?: unknown } | null)?.assignments;
    for (const a of Array.isArray(assignments) ? (assignments as { unitId?: unknown; status?: unknown; releasedReason?: unknown }[]) : []) {
      if (typeof a?.unitId === 'string' && a.status !== 'cleared' && !a.releasedReason) units.add(a.unitId);
    }
  }
  return [...units].map((u) => `unit:${u}`);
}

/** The event as a console receives it: without the jurisdictions it was routed by. */
export function strip<T extends { jurisdictionIds: string[] }>(e: T) {
  const { jurisdictionIds: _j, ...rest } = e;
  return rest;
}
