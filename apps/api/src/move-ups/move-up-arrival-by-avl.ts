import { LIVE_WORLD, MoveUpView } from '@cad/domain';
import { haversineMetres } from '@cad/routing';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StateConflict } from '../common/errors';
import { AppConfig } from '../config/config';
import { moveUpStore } from './move-up.store';
import { MoveUpsService } from './move-ups.service';

/** The actor of an arrival seen in the unit's AVL (its `moveup.done` event). */
export const AVL_ARRIVAL_ACTOR = 'system:avl';

/** A fix the AVL track trusts (verdict `accepted` or `reestablished`): WGS84 degrees, corrected fix time, reported accuracy in metres (null: not sent). */
export interface TrustedFix {
  lat: number;
  lon: number;
  at: Date;
  accuracyM: number | null;
  /**
   * Corrected time of the oldest fix the position rests on (a re-established track: its run's first
   * fix); absent: `at`. A run that began before the move set off does not show the move's arrival.
   */
  since?: Date;
}

/**
 * Whether `fix` shows a unit that set off at `startedAt` at its new station (`lat`/`lon`, WGS84
 * degrees): taken after it set off, and resting on no fix from before (`since`: a fix from before,
 * say from driving past earlier, or a re-established run that began before, says nothing),
 * and its whole uncertainty circle within `radiusM` of the station: great-circle distance
 * (`haversineMetres`) plus the reported accuracy (none reported: 0) at most `radiusM` metres.
 * `radiusM` 0 (or less) never arrives.
 */
export function arrivedByFix(fix: TrustedFix, move: { startedAt: Date | null; lat: number; lon: number }, radiusM: number): boolean {
  if (radiusM <= 0 || !move.startedAt || (fix.since ?? fix.at).getTime() < move.startedAt.getTime() || fix.at.getTime() < move.startedAt.getTime()) return false;
  return haversineMetres(fix.lat, fix.lon, move.lat, move.lon) + Math.max(0, fix.accuracyM ?? 0) <= radiusM;
}

/**
 * A move-up's arrival seen in the unit's AVL, besides the crew's button: a trusted fix of a live unit
 * on a `moving` move-up within `MOVE_UP_ARRIVAL_RADIUS_M` of its new station ({@link arrivedByFix})
 * marks the move arrived through `MoveUpsService.arrive`, the path the crew's `POST
 * /api/move-ups/:id/arrived` takes (same event `moveup.done`, actor {@link AVL_ARRIVAL_ACTOR}, at the
 * fix time). Stale (`late`), implausible and coarse fixes never reach it: the AVL service passes only
 * the fixes its track accepted.
 */
@Injectable()
export class MoveUpArrivalByAvl {
  constructor(
    private readonly ds: DataSource,
    private readonly moves: MoveUpsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Looks at one trusted fix of live unit `unitId` (called after the fix is committed).
   * @returns the move it marked arrived, or null (no moving move-up, not there yet, or the crew's
   *   arrival came first: a move already ended is left as it is)
   * @throws whatever Postgres throws (the caller logs it: the fix itself is stored)
   */
  async onTrustedFix(unitId: string, fix: TrustedFix): Promise<MoveUpView | null> {
    const radius = this.config.MOVE_UP_ARRIVAL_RADIUS_M;
    if (radius <= 0) return null;
    const move = await moveUpStore.moving(this.ds.manager, LIVE_WORLD, unitId);
    if (!move || !arrivedByFix(fix, move, radius)) return null;
    try {
      return await this.moves.arrive(move.id, fix.at, AVL_ARRIVAL_ACTOR);
    } catch (e) {
      if (e instanceof StateConflict) return null;
      throw e;
    }
  }
}
