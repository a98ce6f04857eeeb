import { type RoadNetwork, unitStartNode } from '@cad/routing';
import type { Unit } from '@cad/db';
import type { AvlService, RankingPosition } from '../assignments/avl.service';

/**
 * The road-graph node each unit's routes and ETAs start from (`unitStartNode`), from the position it
 * is ranked from, on its own network (`networks[k]` for `units[k]`).
 *
 * The rule, and what it reads: a unit starts at the nearest node, unless that node lies only on
 * tunnels, bridge decks or motorways and a surface street is within `SURFACE_SNAP_METRES` (150 m,
 * the incidents' address rule): then it starts on that surface street, as a unit at its station,
 * parked, or ranked from its station (stale fix) is. It keeps the tunnel, bridge or motorway node only
 * when its AVL track shows it driving along that road: its position is its current fix, fresh at
 * `now`, and that fix and its trusted fix before it (within `AVL_TRACK_WINDOW_S`) are at least 20 m
 * and both accuracy radii apart and both on such a road going the way it moved (`AvlService.tracks`,
 * `drivingAlongRoadway`). The unit's status is not evidence either way (a `returning` unit may drive
 * the surface street above a tunnel) and phones' heading and speed are not stored, so the track's
 * own bearing stands for the heading. A drill's units (`now` null, or a drill world) have no AVL:
 * its dispatchable units stand at stations or where they cleared, so the surface rule applies.
 * The AVL is read only for the few units the rule moves off such a road, so a dispatch round far
 * from tunnels costs no query.
 * @param now the live clock, or null for a drill or exercise (no AVL)
 */
export async function unitStartNodes(
  avl: AvlService,
  units: readonly Unit[],
  positions: ReadonlyMap<string, RankingPosition>,
  networks: readonly RoadNetwork[],
  now: Date | null,
): Promise<number[]> {
  const at = units.map((u) => positions.get(u.id) ?? { lat: u.lat, lon: u.lon, staleFixAgeS: null });
  const starts = units.map((_, k) => unitStartNode(networks[k], at[k].lat, at[k].lon));
  const moved = now === null ? [] : units.filter((_, k) => starts[k].rule === 'surface-street' && at[k].staleFixAgeS === null);
  if (moved.length && now !== null) {
    const tracks = await avl.tracks(moved, now);
    units.forEach((u, k) => {
      const track = tracks.get(u.id);
      if (track) starts[k] = unitStartNode(networks[k], at[k].lat, at[k].lon, track);
    });
  }
  return starts.map((s) => s.node);
}
