import type { Assignment } from '@cad/db';
import type { AssignmentView } from '@cad/contracts';

/** An instant as ISO-8601 UTC, or null. */
export const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Serialises an assignment. */
export function assignmentView(a: Assignment): AssignmentView {
  return {
    id: a.id,
    incidentId: a.incidentId,
    unitId: a.unitId,
    world: a.world ?? 'live',
    callsign: a.unitId,
    capability: a.capability,
    status: a.status,
    etaSeconds: a.etaSeconds >= 0 ? a.etaSeconds : null,
    turnoutSeconds: a.turnoutSeconds ?? null,
    travelSeconds: a.etaSeconds >= 0 ? a.etaSeconds - (a.turnoutSeconds ?? 0) : null,
    routeMetres: a.routeMetres,
    route: a.route,
    dispatchedAt: a.dispatchedAt.toISOString(),
    acknowledgedAt: iso(a.acknowledgedAt),
    enRouteAt: iso(a.enRouteAt),
    onSceneAt: iso(a.onSceneAt),
    transportingAt: iso(a.transportingAt),
    atHospitalAt: iso(a.atHospitalAt),
    clearedAt: iso(a.clearedAt),
    releasedReason: a.releasedReason ?? null,
    cancelReason: a.cancelReason ?? null,
    replacesId: a.replacesId ?? null,
    statusAt: a.statusAt.toISOString(),
  };
}
