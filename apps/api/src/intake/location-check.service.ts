import { haversineMetres, RoadNetwork } from '@cad/routing';
import { Inject, Injectable } from '@nestjs/common';
import type { Call } from '@cad/db';
import { AppConfig } from '../config/config';
import { GeocoderService } from '../jurisdictions/geocoder.service';

/** Where an incident is placed from its first call, and whether its typed address and device location agree. */
export interface CheckedLocation {
  /** The point dispatched to, WGS84 degrees. */
  lat: number;
  lon: number;
  /** True when the typed address lies farther than `LOCATION_MISMATCH_M` + accuracy from the device point. */
  unconfirmed: boolean;
  /** The device point kept beside it when unconfirmed (else null), with its accuracy in metres. */
  device: { lat: number; lon: number; accuracyM: number | null } | null;
  /** Metres between the typed address and the device point (null when the address gives no point). */
  metres: number | null;
}

/**
 * Cross-checks a live call's typed address against its device location. An address placed on a
 * block, an intersection or between known blocks (not a bare street name, which gives no point)
 * farther than `LOCATION_MISMATCH_M` plus the device's reported accuracy from the device point flags
 * the incident `location_unconfirmed`; the incident then goes to the typed address, whatever its
 * priority (the crew reads the address, and a P1 is never held: the dispatcher resolves the flag
 * while units roll, by confirming or moving the location), and the device point is kept and drawn.
 * Drill calls are replayed from the data and are not checked.
 */
@Injectable()
export class LocationCheckService {
  constructor(
    private readonly geocoder: GeocoderService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly roads: RoadNetwork,
  ) {}

  /**
   * The roadway a call or incident is on, as the duplicate check compares it: the roadway it named when
   * a road of that name or ref lies within 300 m of its point (it snaps there), else none: an unknown or
   * misheard name (`"Narnia Rd"`, `"Marina Bvld"`) is placed as an address on the nearest surface street,
   * so it is on the surface road like a call that named none, and links to that road's incident
   * instead of opening another (the tester's collision dispatched four times).
   * @param p WGS84 degrees and the roadway as sent
   * @returns the roadway as sent, or null
   */
  effectiveRoadway(p: { lat: number; lon: number; roadway: string | null }): string | null {
    if (!p.roadway?.trim()) return null;
    return this.roads.accessPoint(p.lat, p.lon, { roadway: p.roadway }).roadwayMatched ? p.roadway : null;
  }

  /** The point to dispatch a call to, with the mismatch flag. Never throws for an address it cannot place: the call's point is used. */
  check(call: Pick<Call, 'lat' | 'lon' | 'address' | 'accuracyM' | 'exercise'>): CheckedLocation {
    const asSent: CheckedLocation = { lat: call.lat, lon: call.lon, unconfirmed: false, device: null, metres: null };
    if (call.exercise || !call.address?.trim()) return asSent;
    const found = this.geocoder.find(call.address);
    if ('miss' in found || found.precision === 'street') return asSent;
    const metres = haversineMetres(call.lat, call.lon, found.lat, found.lon);
    if (metres <= this.config.LOCATION_MISMATCH_M + (call.accuracyM ?? 0)) return { ...asSent, metres };
    return { lat: found.lat, lon: found.lon, unconfirmed: true, device: { lat: call.lat, lon: call.lon, accuracyM: call.accuracyM }, metres };
  }
}
