/**
 * Whole views and events for the console's unit tests: a test names only the fields it is about, the
 * rest are the values a fresh live incident (task, event) has.
 */
import type { EventPayloads } from '@cad/contracts/events';
import type { EventType } from '@cad/domain/events';
import type { Assignment, CadEvent, Incident } from '../types';

/** A live task: E01 dispatched to `i1` with a 120 s ETA, overridden by `over`. */
export function anAssignment(over: Partial<Assignment> = {}): Assignment {
  return {
    id: 'a1',
    incidentId: 'i1',
    unitId: 'E01',
    world: 'live',
    callsign: over.unitId ?? 'E01',
    capability: 'engine',
    status: 'dispatched',
    etaSeconds: 120,
    turnoutSeconds: null,
    travelSeconds: null,
    routeMetres: 0,
    route: null,
    dispatchedAt: '2026-11-29T17:00:00Z',
    acknowledgedAt: null,
    enRouteAt: null,
    onSceneAt: null,
    transportingAt: null,
    atHospitalAt: null,
    clearedAt: null,
    releasedReason: null,
    cancelReason: null,
    replacesId: null,
    statusAt: '2026-11-29T17:00:00Z',
    ...over,
  };
}

/** A live P1 medical incident `i1` just received, with no units, overridden by `over`. */
export function anIncident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'i1',
    type: 'Medical Incident',
    priority: 1,
    status: 'received',
    lat: 37.8,
    lon: -122.43,
    address: null,
    receivedAt: '2026-11-29T17:00:00Z',
    dispatchedAt: null,
    resolvedAt: null,
    exercise: false,
    drillId: null,
    world: 'live',
    commandingTier: 'street',
    commandingJurisdiction: null,
    outsideBoundary: false,
    locationUnconfirmed: false,
    devicePoint: null,
    roadway: null,
    headingDegrees: null,
    street: null,
    access: null,
    district: null,
    city: null,
    callNumber: over.id ?? 'i1',
    callCount: 1,
    calls: [],
    suggestedLinks: [],
    possibleDuplicateOf: [],
    escalations: [],
    closedAt: null,
    disposition: null,
    mergedInto: null,
    autoDispatch: true,
    revision: 1,
    lastError: null,
    lastErrorCoded: null,
    assignments: [],
    ...over,
  };
}

/** A payload holding only the fields a test is about, nested objects too (a server sends them all). */
export type PartialPayload<T> = T extends readonly (infer U)[] ? ReadonlyArray<PartialPayload<U>> : T extends object ? { [K in keyof T]?: PartialPayload<T[K]> } : T;

declare const loosePayload: unique symbol;
/** A payload of no one type (a test that builds every event type with the same fields): made by {@link loose}. */
export type LoosePayload = Readonly<Record<string, unknown>> & { readonly [loosePayload]: true };

/** Marks `fields` as a payload of no one type, for {@link anEvent}: the type check is given up on purpose, and says so. */
export function loose(fields: Record<string, unknown>): LoosePayload {
  return fields as LoosePayload;
}

/** What {@link anEvent} takes as the payload of an event of type `T`. */
export type PayloadOf<T extends EventType> = PartialPayload<EventPayloads[T]> | LoosePayload;

/**
 * An event of `type` with a payload that may hold only the fields a test is about (a server sends
 * them all): `seq`, `at` 2026-11-29T17:00:00Z, incident `i1`, no unit unless `extra` says.
 */
export function anEvent<T extends EventType>(seq: number, type: T, payload: PayloadOf<T>, extra: Partial<Omit<CadEvent, 'type' | 'payload'>> = {}): CadEvent {
  return { seq, type, at: '2026-11-29T17:00:00Z', incidentId: 'i1', unitId: null, payload, ...extra } as unknown as CadEvent;
}
