/**
 * Which optional endpoints this server offers. Probed once at start-up without side effects (see
 * `endpointExists`): the console and responder page hide what is missing, so they work against an older
 * API and light up as endpoints land.
 */
import { ApiError, endpointExists, PROBE_ID, request } from './api';

export interface Features {
  timeline: boolean;
  escalate: boolean;
  deescalate: boolean;
  close: boolean;
  cancel: boolean;
  resourceRequests: boolean;
  /** `POST /api/incidents/:id/merge`. */
  merge: boolean;
  unlink: boolean;
  recommendations: boolean;
  coverage: boolean;
  roadClosures: boolean;
  unitTask: boolean;
  unitPosition: boolean;
  /** Assignment statuses `PATCH /api/assignments/:id` accepts beyond en_route / on_scene / cleared. */
  acknowledged: boolean;
  transporting: boolean;
  /** `POST /api/incidents/:id/assignments {unitId}`: assign a unit by hand. */
  assignByHand: boolean;
  /** `PATCH /api/units/:id {status}`: put a unit out of service or back in service. */
  unitStatus: boolean;
  /** `POST /api/incidents/:id/location`: move an incident after dispatch, crews alerted. */
  locationChange: boolean;
}

/** Everything off: what the UI assumes until the probes answer. */
export const NO_FEATURES: Features = {
  timeline: false,
  escalate: false,
  deescalate: false,
  close: false,
  cancel: false,
  resourceRequests: false,
  merge: false,
  unlink: false,
  recommendations: false,
  coverage: false,
  roadClosures: false,
  unitTask: false,
  unitPosition: false,
  acknowledged: false,
  transporting: false,
  assignByHand: false,
  unitStatus: false,
  locationChange: false,
};

/**
 * Whether `PATCH /api/assignments/:id` accepts `status`: the probe targets an assignment that does not
 * exist, so a known status answers 404 (no such assignment) and an unknown one 400 (validation).
 */
export async function assignmentStatusSupported(status: string): Promise<boolean> {
  try {
    await request('PATCH', `/api/assignments/${PROBE_ID}`, { status });
    return true;
  } catch (err) {
    return err instanceof ApiError && err.status !== 400 && !err.missingRoute;
  }
}

/**
 * What this server offers: `GET /api/features` in one request; a server without that route (older)
 * is probed endpoint by endpoint instead.
 */
export async function probeFeatures(): Promise<Features> {
  try {
    const { features } = await request<{ features: string[] }>('GET', '/api/features');
    const on = new Set(features);
    return Object.fromEntries(Object.keys(NO_FEATURES).map((k) => [k, on.has(k)])) as unknown as Features;
  } catch (err) {
    if (!(err instanceof ApiError) || !err.missingRoute) throw err;
  }
  return probeEndpoints();
}

/** Probes every optional endpoint in parallel (servers without `GET /api/features`). */
async function probeEndpoints(): Promise<Features> {
  const inc = `/api/incidents/${PROBE_ID}`;
  const [timeline, escalate, deescalate, close, cancel, resourceRequests, merge, unlink, recommendations, roadClosures, unitTask, unitPosition, acknowledged, transporting, coverage, assignByHand, unitStatus] =
    await Promise.all([
      endpointExists('GET', `${inc}/events`),
      endpointExists('POST', `${inc}/escalate`, {}),
      endpointExists('POST', `${inc}/deescalate`, {}),
      endpointExists('POST', `${inc}/close`, {}),
      endpointExists('POST', `${inc}/cancel`, {}),
      endpointExists('POST', `${inc}/resource-requests`, {}),
      endpointExists('POST', `${inc}/merge`, {}),
      endpointExists('POST', `/api/calls/${PROBE_ID}/unlink`, {}),
      endpointExists('GET', `${inc}/recommendations`),
      endpointExists('GET', '/api/road-closures'),
      endpointExists('GET', `/api/units/${PROBE_ID}/assignment`),
      // An empty body fails validation (lat/lon required) before anything is stored.
      endpointExists('POST', `/api/units/${PROBE_ID}/position`, {}),
      assignmentStatusSupported('acknowledged'),
      assignmentStatusSupported('transporting'),
      endpointExists('GET', '/api/coverage?jurisdictionId=__probe__'),
      // Empty bodies fail validation (unitId, status required): nothing is assigned or changed.
      endpointExists('POST', `${inc}/assignments`, {}),
      endpointExists('PATCH', `/api/units/${PROBE_ID}`, {}),
    ]);
  // Servers without `GET /api/features` predate moving an incident.
  return { timeline, escalate, deescalate, close, cancel, resourceRequests, merge, unlink, recommendations, roadClosures, unitTask, unitPosition, acknowledged, transporting, coverage, assignByHand, unitStatus, locationChange: false };
}
