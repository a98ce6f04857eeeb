import { JurisdictionIndex, worldOf } from '@cad/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Incident, Unit } from '@cad/db';
import { NotFound } from '../common/errors';
import { EventsService } from '../events/events.service';
import { AssignmentView } from '../incidents/incident.view';
import { AssignByHandService } from './assign-by-hand.service';
import { RecommendationsService } from './recommendations.service';

/** A dispatcher's answer to a recommendation: accept its units in one click, or send another unit saying why. */
@Injectable()
export class RecommendationDecisionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly recommendations: RecommendationsService,
    private readonly byHand: AssignByHandService,
    private readonly events: EventsService,
    private readonly index: JurisdictionIndex,
  ) {}

  /**
   * Accepts the recommendation: assigns every recommended unit (or only `unitIds`) to the incident.
   * A unit taken meanwhile is reported, not retried; a unit of `unitIds` that is not recommended is
   * refused with the list of recommended ones.
   * @returns the assignments made and the units that could not be assigned, with why
   */
  async accept(incidentId: string, actor: string, unitIds?: string[], mayUse?: (homeStreetId: string | null) => Promise<void>) {
    const rec = await this.recommendations.forIncident(incidentId);
    const chosen = rec.slots.filter((s) => s.unitId && (!unitIds || unitIds.includes(s.unitId)));
    const assigned: AssignmentView[] = [];
    const refused: { unitId: string; reason: string }[] = [];
    const offered = rec.slots.flatMap((s) => (s.unitId ? [s.unitId] : []));
    for (const id of new Set(unitIds ?? [])) {
      if (!offered.includes(id)) refused.push({ unitId: id, reason: `not recommended for this incident (recommended: ${offered.join(', ') || 'none'}); assign it by hand or override` });
    }
    for (const s of chosen) {
      try {
        assigned.push(await this.byHand.assignByHand(incidentId, s.unitId!, actor, s.capability, mayUse));
      } catch (e) {
        refused.push({ unitId: s.unitId!, reason: (e as Error).message });
      }
    }
    return { assigned, refused };
  }

  /**
   * Overrides the recommendation: assigns another unit than proposed, with the dispatcher's reason
   * recorded (`recommendation.overridden`) next to what was recommended for that capability.
   * @throws NotFound / StateConflict (409) as {@link AssignByHandService.assignByHand}
   */
  async override(incidentId: string, unitId: string, reason: string, actor: string, capability?: string, mayUse?: (homeStreetId: string | null) => Promise<void>) {
    const rec = await this.recommendations.forIncident(incidentId);
    const target = await this.ds.getRepository(Incident).findOneByOrFail({ id: incidentId });
    const unit = await this.ds.getRepository(Unit).findOneBy({ world: worldOf(target), id: unitId });
    if (!unit) throw new NotFound('unit', unitId);
    const cap = capability ?? rec.slots.find((s) => unit.capabilities.includes(s.capability))?.capability ?? unit.capabilities[0];
    const recommended = rec.slots.find((s) => s.capability === cap) ?? null;
    const assignment = await this.byHand.assignByHand(incidentId, unitId, actor, cap, mayUse);
    await this.ds.transaction(async (m) =>
      this.events.append(m, {
        type: 'recommendation.overridden',
        incidentId,
        unitId,
        jurisdictionIds: this.index.chain(target.streetId),
        at: new Date(assignment.dispatchedAt),
        actor,
        payload: { incidentId, unitId, capability: cap, reason, recommended: recommended ? { unitId: recommended.unitId, etaSeconds: recommended.etaSeconds } : null },
      }),
    );
    return { assignment, recommended };
  }
}
