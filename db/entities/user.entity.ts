import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A person who signs in: a role bound to a jurisdiction (commanders, dispatchers, observers) or to a
 * unit (responders). Passwords are stored only as bcrypt hashes.
 */
@Entity('app_user')
export class User {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Index({ unique: true }) @Column('varchar', { length: 80 }) username: string;
  @Column('varchar', { length: 200, name: 'display_name' }) displayName: string;
  @Column('varchar', { length: 100, name: 'password_hash' }) passwordHash: string;
  /** `city_commander`, `district_dispatcher`, `street_dispatcher`, `responder`, `observer`. */
  @Column('varchar', { length: 30 }) role: string;
  /** The jurisdiction whose subtree the user sees and acts on (null for responders). */
  @Column('varchar', { length: 120, name: 'jurisdiction_id', nullable: true }) jurisdictionId: string | null;
  /** The unit a responder crews (null for everyone else). */
  @Column('varchar', { length: 40, name: 'unit_id', nullable: true }) unitId: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
}

/** Small key/value settings shared by every process on the record (e.g. the JWT signing secret). */
@Entity('app_setting')
export class AppSetting {
  @Column('varchar', { length: 80, primary: true }) key: string;
  @Column('text') value: string;
}
