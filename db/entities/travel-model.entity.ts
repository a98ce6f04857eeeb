import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The travel model fitted on the city's own responses at import (issue 20): one row per city data
 * set, read by every API and worker process for live ETAs, recommendations and drills.
 */
@Entity('travel_model')
export class TravelModelRow {
  /** The data set it was fitted on (`live`: the imported city). */
  @PrimaryColumn('varchar', { length: 80 }) id: string;
  /** The fitted model (`TravelModel` of `@cad/domain`): lines, turnout, method, sample, error. */
  @Column('jsonb') model: Record<string, unknown>;
  @Column('timestamptz', { name: 'fitted_at' }) fittedAt: Date;
}
