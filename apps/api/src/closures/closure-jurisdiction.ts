import { JurisdictionIndex } from '@cad/domain';
import { booleanPointInPolygon, point, pointToPolygonDistance } from '@turf/turf';
import type { ClosureGeometry } from '@cad/routing';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RoadClosureRow, User } from '@cad/db';
import { Forbidden } from '../common/errors';
import type { Principal } from '../auth/principal';

/** How far (metres) outside a jurisdiction's boundary a closure's position may lie and still touch it. */
const CLOSURE_TOUCH_METRES = 50;

/** Every `[lon, lat]` position of a closure geometry. */
export function positionsOf(g: ClosureGeometry): number[][] {
  switch (g.type) {
    case 'LineString':
      return g.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat();
    case 'MultiPolygon':
      return g.coordinates.flat(2);
    default:
      return [];
  }
}

/**
 * Who may enter and lift a road closure: a district or street post only within its own jurisdiction
 * (and only closures entered by its own subtree), a city post anywhere.
 */
@Injectable()
export class ClosureJurisdiction {
  constructor(
    private readonly ds: DataSource,
    private readonly index: JurisdictionIndex,
  ) {}

  /**
   * The jurisdiction a post acts for when it is below the city (a district or street post), else null
   * (city posts and the system act citywide).
   */
  localJurisdiction(user: Principal): string | null {
    if (user.role === 'system' || !user.jurisdictionId) return null;
    const shape = this.index.get(user.jurisdictionId);
    return shape && shape.level !== 'city' ? shape.id : null;
  }

  /**
   * True when every position of `geometry` lies inside the jurisdiction's boundary or within
   * {@link CLOSURE_TOUCH_METRES} of it (a closure along a boundary road touches it).
   */
  withinJurisdiction(geometry: ClosureGeometry, jurisdictionId: string): boolean {
    const boundary = this.index.get(jurisdictionId)!.boundary;
    return positionsOf(geometry).every((p) => {
      const pt = point([p[0], p[1]]);
      return booleanPointInPolygon(pt, boundary) || Math.abs(pointToPolygonDistance(pt, boundary, { units: 'meters' })) <= CLOSURE_TOUCH_METRES;
    });
  }

  /**
   * Jurisdiction rule for entering a closure: a district or street post closes roads only within its
   * jurisdiction (every position inside it or touching it); city posts anywhere.
   * @throws Forbidden (403) naming `geometry` when it reaches outside the post's jurisdiction
   */
  assertMayCreate(user: Principal, geometry: ClosureGeometry): void {
    const local = this.localJurisdiction(user);
    if (local && !this.withinJurisdiction(geometry, local)) {
      throw new Forbidden(`geometry: reaches outside ${this.index.get(local)!.name} (${local}); a closure beyond your jurisdiction is for the post above it`);
    }
  }

  /**
   * Jurisdiction rule for lifting a closure: a district or street post lifts only closures within its
   * jurisdiction that were entered by a post of its own subtree (not by a higher tier, a drill or the
   * system); city posts any.
   * @throws Forbidden (403) naming `id` otherwise
   */
  async assertMayRemove(user: Principal, c: RoadClosureRow): Promise<void> {
    const local = this.localJurisdiction(user);
    if (!local) return;
    const creator = await this.ds.getRepository(User).findOneBy({ username: c.createdBy });
    const ownTier = !!creator?.jurisdictionId && this.index.chain(creator.jurisdictionId).includes(local);
    if (!ownTier) throw new Forbidden(`id: closure ${c.id} was entered by ${c.createdBy}, a post above ${local}: only that tier lifts it`);
    if (!this.withinJurisdiction(c.geometry as ClosureGeometry, local)) throw new Forbidden(`id: closure ${c.id} reaches outside ${local}: only the post above lifts it`);
  }
}
