import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A response plan (run card) per call type, stored as data (seeded from the SFFD history). */
@Entity('response_plan')
export class ResponsePlanRow {
  @PrimaryColumn('varchar', { length: 120, name: 'call_type' }) callType: string;
  /** Units per primary capability, e.g. `{"engine":1,"ambulance":1}`. */
  @Column('jsonb') slots: Record<string, number>;
  @Column('varchar', { length: 10, name: 'commanding_tier' }) commandingTier: string;
  @Column('int', { name: 'derived_from' }) derivedFrom: number;
  /** Alarm levels (`[{level, slots, commandingTier}]`: what each further alarm adds); null: derived from `slots`. */
  @Column('jsonb', { nullable: true }) alarms: { level: number; slots: Record<string, number>; commandingTier: string }[] | null;
}
