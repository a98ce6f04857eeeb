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
  /** bcrypt hash; null for an account whose first password is still to be set (the first commander). */
  @Column('varchar', { length: 100, name: 'password_hash', nullable: true }) passwordHash: string | null;
  /** `city_commander`, `district_dispatcher`, `street_dispatcher`, `responder`, `observer`. */
  @Column('varchar', { length: 30 }) role: string;
  /** The jurisdiction whose subtree the user sees and acts on (null for responders). */
  @Column('varchar', { length: 120, name: 'jurisdiction_id', nullable: true }) jurisdictionId: string | null;
  /** The unit a responder crews (null for everyone else). */
  @Column('varchar', { length: 40, name: 'unit_id', nullable: true }) unitId: string | null;
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' }) createdAt: Date;
  /** When a commander disabled the account (null: active). A disabled account cannot sign in and its tokens stop working. */
  @Column('timestamptz', { name: 'disabled_at', nullable: true }) disabledAt: Date | null;
  /** Raised to end every session of the account (sign-out, disable, password or post change): tokens carry the version they were issued under. */
  @Column('int', { name: 'token_version', default: 0 }) tokenVersion: number;
  /** A demo account (known password): it signs in only on a record marked as a demo. */
  @Column('boolean', { default: false }) demo: boolean;
}

/** Small key/value settings shared by every process on the record (e.g. the JWT signing secret). */
@Entity('app_setting')
export class AppSetting {
  @Column('varchar', { length: 80, primary: true }) key: string;
  @Column('text') value: string;
}
