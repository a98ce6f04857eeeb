/**
 * Thin REST client for the CAD API (same origin, JSON). Endpoints that may not exist on an older server
 * are probed with {@link endpointExists}: the UI hides what the server does not offer.
 */
import { has, t } from './i18n';
import { authHeaders, expired } from './auth';
import type {
  CadEvent,
  Incident,
  Jurisdiction,
  Recommendations,
  RoadClosure,
  RoadCollection,
  ServerState,
  Unit,
  UnitTask,
} from './types';
import type { CoverageReport } from '@cad/domain/coverage';

/** An HTTP error answer: status and the server's `message` (joined when it is a list). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** True when the route itself does not exist on this server (Nest's `Cannot GET /api/...`). */
    readonly missingRoute: boolean,
    /** The answer's JSON body, when it had one (its coded fields: `code`, `miss`...). */
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

async function errorOf(res: Response, method: string, path: string): Promise<ApiError> {
  let message = t('error.http', { method, path, status: res.status });
  let body: { message?: string | string[] } | null = null;
  try {
    body = (await res.json()) as { message?: string | string[] };
    if (body?.message) message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
  } catch {
    /* not JSON */
  }
  return new ApiError(res.status, message, res.status === 404 && /^Cannot (GET|POST|PATCH|DELETE|PUT) /.test(message), body);
}

/**
 * Sends one JSON request with the sign-in token. Answers the parsed body, or null for 204. A 401 signs
 * the page out (see `auth.expired`).
 * @throws ApiError for any non-2xx answer; TypeError (from fetch) when the network is down
 */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      // This device's clock at sending: the server estimates the clock's offset and corrects the times it stamps.
      'X-Device-Time': new Date().toISOString(),
      ...authHeaders(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401) expired();
  if (!res.ok) throw await errorOf(res, method, path);
  if (res.status === 204) return null as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

const getJson = <T>(path: string): Promise<T> => request<T>('GET', path);

/** A v4-shaped id that no record has: probes hit the route and its validation, never a record. */
export const PROBE_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Whether the server has a route, without side effects: the probe targets {@link PROBE_ID} (or a
 * harmless body), so an existing route answers 400/404-with-a-domain-message, and a missing one answers
 * Nest's `404 Cannot <METHOD> <path>`. Network failures count as "unknown" and answer false.
 */
export async function endpointExists(method: string, path: string, body?: unknown): Promise<boolean> {
  try {
    await request(method, path, body);
    return true;
  } catch (err) {
    if (err instanceof ApiError) return !err.missingRoute;
    return false;
  }
}

/** Fetch all jurisdictions (city, districts, streets) with their boundaries. */
export function fetchJurisdictions(): Promise<Jurisdiction[]> {
  return getJson<Jurisdiction[]>('/api/jurisdictions');
}

/** Fetch the road network as a GeoJSON FeatureCollection of LineStrings. */
export function fetchRoads(): Promise<RoadCollection> {
  return getJson<RoadCollection>('/api/roads');
}

/** Fetch every unit with its current status and position. */
export function fetchUnits(): Promise<Unit[]> {
  return getJson<Unit[]>('/api/units');
}

/** One page of `GET /api/incidents`: `total` match; `items` are those from `offset`, at most `limit`. */
export interface IncidentPage {
  items: Incident[];
  total: number;
  limit: number;
  offset: number;
}

/**
 * Every open incident (with assignments), read 1,000 a page until the server's `total` is reached.
 * When the list changed between pages (fewer distinct incidents than the total) it is read again,
 * up to three times: nothing drops out of the console unseen.
 */
export async function fetchOpenIncidents(): Promise<Incident[]> {
  let found = new Map<string, Incident>();
  for (let attempt = 0; attempt < 3; attempt++) {
    found = new Map();
    let total = 0;
    for (let offset = 0; ; ) {
      const page = await getJson<IncidentPage>(`/api/incidents?open=true&limit=1000&offset=${offset}`);
      for (const i of page.items) found.set(i.id, i);
      total = page.total;
      offset += page.items.length;
      if (!page.items.length || offset >= page.total) break;
    }
    if (found.size >= total) break;
  }
  return [...found.values()];
}

/** Open incidents plus the latest 200 resolved ones, which wait for a dispatcher to close them. */
export async function fetchShownIncidents(): Promise<Incident[]> {
  const [open, recent] = await Promise.all([fetchOpenIncidents(), getJson<IncidentPage>('/api/incidents?limit=200')]);
  return [...open, ...recent.items.filter((i) => i.status === 'resolved')];
}

/** `GET /api/calls/:id`: where intake placed a call (`incidentId` null while it is being placed). */
export function getCall(id: string): Promise<{ id: string; callNumber: string | null; incidentId: string | null; linked: boolean; suggestedIncidentId: string | null }> {
  return getJson(`/api/calls/${encodeURIComponent(id)}`);
}

/** Fetch one incident view. */
export function fetchIncident(id: string): Promise<Incident> {
  return getJson<Incident>(`/api/incidents/${encodeURIComponent(id)}`);
}

/** Fetch the server's last event sequence number and the drill clock. */
export function fetchState(): Promise<ServerState> {
  return getJson<ServerState>('/api/state');
}

/** Dynamic part of the snapshot: state first, then incidents (open and resolved) and units (so replays from lastSeq cover any gap). */
export interface Snapshot {
  state: ServerState;
  incidents: Incident[];
  units: Unit[];
}

/** Load the dynamic snapshot. `/api/state` is read first so that lastSeq never overshoots the lists. */
export async function fetchSnapshot(): Promise<Snapshot> {
  const state = await fetchState();
  const [incidents, units] = await Promise.all([fetchShownIncidents(), fetchUnits()]);
  return { state, incidents, units };
}

/** Body of `POST /api/calls` (WGS84 degrees; priority 1 = emergency). */
export interface NewCall {
  type: string;
  priority?: 1 | 2 | 3;
  lat: number;
  lon: number;
  address?: string;
  notes?: string;
  source?: 'hotline' | 'sensor' | 'field' | 'drill' | 'api';
  exercise?: boolean;
  /** The call's own number (a call taken offline carries its outbox's, so a repeat is placed once). */
  callNumber?: string;
}

/** `POST /api/calls` → `202 { id, duplicate }` (the call id; `duplicate` when its number was received already). */
export function createCall(call: NewCall): Promise<{ id: string; duplicate?: boolean }> {
  return request<{ id: string; duplicate?: boolean }>('POST', '/api/calls', call);
}

/** `GET /api/incidents/:id/events`: the incident's timeline, oldest first. */
export function fetchTimeline(incidentId: string): Promise<CadEvent[]> {
  return getJson<CadEvent[]>(`/api/incidents/${encodeURIComponent(incidentId)}/events`);
}

/** Incident commands (`POST /api/incidents/:id/<action>`). */
export type IncidentAction = 'escalate' | 'deescalate' | 'close' | 'cancel';

/** `POST /api/incidents/:id/{escalate|deescalate} {reason}` or `/{close|cancel} {disposition?}`. */
export function incidentAction(incidentId: string, action: IncidentAction, text: string): Promise<unknown> {
  const withDisposition = action === 'close' || action === 'cancel';
  const body = withDisposition ? (text ? { disposition: text } : {}) : { reason: text };
  return request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/${action}`, body);
}

/** `POST /api/incidents/:id/reopen`: a resolved, closed or cancelled incident is received again and dispatched afresh. */
export function reopenIncident(incidentId: string): Promise<unknown> {
  return request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/reopen`);
}

/** What `GET /api/geocode?q=` answers: where a typed address is, how sure, and what was matched. */
export interface Geocoded {
  lat: number;
  lon: number;
  precision: 'intersection' | 'block' | 'interpolated' | 'street' | 'place';
  matched: string;
  streetId: string | null;
  outsideBoundary: boolean;
}

/**
 * An address the server could not place, and why: in the server's English words (`miss`: `no street
 * named …`, `… do not meet`, a number past the street's), and coded when the server codes it (`code`,
 * `params`: see `GeocodeMissCode` in libs/routing; an older server sends none).
 */
export interface GeocodeMiss {
  miss: string;
  code?: string;
  params?: Record<string, string | number>;
}

/** Looks a typed address up (`GET /api/geocode`); `{miss}` with the server's reason when it is not found (404). */
export async function geocode(q: string): Promise<Geocoded | GeocodeMiss> {
  try {
    return await request<Geocoded>('GET', `/api/geocode?q=${encodeURIComponent(q)}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) {
      const coded = (err.body as { miss?: { code?: unknown; params?: unknown } } | null)?.miss;
      const miss = err.message.replace(/^address .* not found: /, '');
      if (typeof coded?.code !== 'string' || typeof coded.params !== 'object' || !coded.params) return { miss };
      return { miss, code: coded.code, params: coded.params as Record<string, string | number> };
    }
    throw err;
  }
}

/**
 * Why an address was not found, in the locale shown: a coded reason this console knows in its own
 * words (`没有名为 NOWHERE ST 的街道`), else the server's words as they came.
 */
export function geocodeMissText(m: GeocodeMiss): string {
  const key = `geocodeMiss.${m.code}`;
  return m.code && has(key) ? t(key, m.params) : m.miss;
}

/** `POST /api/incidents/:id/merge {into, reason}`: this incident is the same emergency as `into`; answers the survivor. */
export function mergeIncident(incidentId: string, into: string, reason: string): Promise<Incident> {
  return request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/merge`, { into, reason });
}

/**
 * `POST /api/incidents/:id/resource-requests {capabilities, reason}`: the commanding tier asks the tier
 * above for more units (one capability entry per unit, e.g. `['engine', 'engine']`) and keeps command.
 */
export function requestResources(incidentId: string, capabilities: string[], reason: string): Promise<unknown> {
  return request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/resource-requests`, { capabilities, reason });
}

/** `POST /api/calls/:id/unlink`: make a linked call its own incident. */
export function unlinkCall(callId: string): Promise<unknown> {
  return request('POST', `/api/calls/${encodeURIComponent(callId)}/unlink`, {});
}

/** `GET /api/incidents/:id/recommendations`. */
export function fetchRecommendations(incidentId: string): Promise<Recommendations> {
  return getJson<Recommendations>(`/api/incidents/${encodeURIComponent(incidentId)}/recommendations`);
}

/** `POST /api/incidents/:id/recommendations/accept {unitIds?}` (all slots when unitIds is omitted). */
export function acceptRecommendations(
  incidentId: string,
  unitIds?: string[],
): Promise<{ assigned: { unitId: string }[]; refused: { unitId: string; reason: string }[] }> {
  return request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/recommendations/accept`, unitIds ? { unitIds } : {});
}

/** `POST /api/incidents/:id/recommendations/override {unitId, reason}`: send another unit than proposed. */
export function overrideRecommendation(incidentId: string, unitId: string, reason: string): Promise<unknown> {
  return request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/recommendations/override`, { unitId, reason });
}

/** `GET /api/road-closures`. */
export function fetchRoadClosures(): Promise<RoadClosure[]> {
  // Drill scenarios' closures too (drawn as exercise closures).
  return getJson<RoadClosure[]>('/api/road-closures?include=drills');
}

/** `POST /api/road-closures {geometry, reason}` (GeoJSON LineString, `[lon, lat]`). */
export function createRoadClosure(coordinates: Array<[number, number]>, reason: string): Promise<RoadClosure> {
  return request<RoadClosure>('POST', '/api/road-closures', { geometry: { type: 'LineString', coordinates }, reason });
}

/** `DELETE /api/road-closures/:id`. */
export function deleteRoadClosure(id: string): Promise<unknown> {
  return request('DELETE', `/api/road-closures/${encodeURIComponent(id)}`);
}

/**
 * `PATCH /api/assignments/:id {status, at, reportId?, cancelReason?}` (at: ISO-8601 instant when it happened; reportId:
 * the sender's id for the report, so a report sent twice is applied once; cancelReason: why a task is cleared before on scene).
 */
export function patchAssignment(assignmentId: string, status: string, at: string, reportId?: string, cancelReason?: string): Promise<unknown> {
  return request('PATCH', `/api/assignments/${encodeURIComponent(assignmentId)}`, { status, at, ...(reportId ? { reportId } : {}), ...(cancelReason ? { cancelReason } : {}) });
}

/** `PATCH /api/units/:id {status}`: a unit going out of service or back in service. */
export function setUnitStatus(unitId: string, status: 'available' | 'out_of_service'): Promise<Unit> {
  return request('PATCH', `/api/units/${encodeURIComponent(unitId)}`, { status });
}

/**
 * `POST /api/incidents/:id/assignments {unitId, capability?}`: assign a unit by hand (`201` with the
 * assignment; `409` names the unit's status and the incident holding it).
 */
export function assignUnit(incidentId: string, unitId: string, capability?: string): Promise<{ id: string; unitId: string; status: string }> {
  return request('POST', `/api/incidents/${encodeURIComponent(incidentId)}/assignments`, capability ? { unitId, capability } : { unitId });
}

/** `POST /api/units/:id/position {lat, lon, at, headingDeg?, speedMps?}` (AVL from a responder phone). */
export function postPosition(
  unitId: string,
  p: { lat: number; lon: number; at: string; headingDeg?: number; speedMps?: number },
): Promise<unknown> {
  return request('POST', `/api/units/${encodeURIComponent(unitId)}/position`, p);
}

/** `GET /api/units/:id/assignment` → the unit's current task, or null (204) when it has none. */
export function fetchUnitTask(unitId: string): Promise<UnitTask | null> {
  return getJson<UnitTask | null>(`/api/units/${encodeURIComponent(unitId)}/assignment`);
}

export type { CoverageReport };

/** `GET /api/coverage` (the signed-in post's jurisdiction). */
export function fetchCoverage(): Promise<CoverageReport> {
  return getJson<CoverageReport>('/api/coverage');
}
