/**
 * Worlds: live work and each drill run are separate worlds. Every unit's state is keyed by
 * (world, unit id); a drill run's world is its run id, live work is {@link LIVE_WORLD}. Dispatch,
 * recommendations, coverage and move-ups in one world never read, take or move a unit of another.
 */
export const LIVE_WORLD = 'live';

/**
 * The world an incident (or call) belongs to: its drill run id, or {@link LIVE_WORLD} when it has none.
 * @param x anything carrying the drill id (`null` for live work)
 */
export function worldOf(x: { drillId: string | null }): string {
  return x.drillId ?? LIVE_WORLD;
}

/** True for live work, false for a drill's world. */
export function isLiveWorld(world: string): boolean {
  return world === LIVE_WORLD;
}
