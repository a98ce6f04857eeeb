import * as bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { Jurisdiction, Unit, User } from '../entities';

/** bcrypt cost factor (2^10 rounds, about 70 ms per hash on one core: the OWASP minimum for bcrypt). */
export const BCRYPT_COST = 10;

/** What {@link seedDemoUsers} created. */
export interface DemoUsersSummary {
  created: number;
}

/**
 * Seeds one demo account per post when the record has no accounts yet, all with `password`:
 * `commander` and `commander2` (city commanders: an Actual alert written by one is approved by the other), `observer` (read-only, city), `d1`..`d11` (district dispatchers),
 * one street dispatcher per street named by the street id (`sf-d3-nob-hill`), and one responder per
 * unit named by the unit id in lower case (`e38`, `m60`), each marked as a demo account (it signs in only
 * on a record marked as a demo). The hash is computed once and shared: every
 * demo account has the same password, so nothing is lost by sharing its salt.
 * @returns how many accounts were created (0 when accounts already exist)
 */
export async function seedDemoUsers(ds: DataSource, password: string): Promise<DemoUsersSummary> {
  if ((await ds.getRepository(User).count()) > 0) return { created: 0 };
  const hash = await bcrypt.hash(password, BCRYPT_COST);
  const jurisdictions = await ds.getRepository(Jurisdiction).find({ order: { id: 'ASC' } });
  const units = await ds.getRepository(Unit).find({ where: { world: 'live' }, order: { id: 'ASC' } });
  const city = jurisdictions.find((j) => j.level === 'city');
  const rows: Partial<User>[] = [];
  if (city) {
    rows.push({ username: 'commander', displayName: `${city.name} commander`, role: 'city_commander', jurisdictionId: city.id, unitId: null });
    // A second commander: an Actual public alert needs one to approve it (author ≠ approver).
    rows.push({ username: 'commander2', displayName: `${city.name} second commander`, role: 'city_commander', jurisdictionId: city.id, unitId: null });
    rows.push({ username: 'observer', displayName: `${city.name} observer`, role: 'observer', jurisdictionId: city.id, unitId: null });
  }
  for (const j of jurisdictions) {
    if (j.level === 'district') {
      rows.push({ username: j.id.replace(/^sf-/, ''), displayName: `${j.name} dispatcher`, role: 'district_dispatcher', jurisdictionId: j.id, unitId: null });
    } else if (j.level === 'street') {
      rows.push({ username: j.id, displayName: `${j.name} dispatcher`, role: 'street_dispatcher', jurisdictionId: j.id, unitId: null });
    }
  }
  for (const u of units) rows.push({ username: u.id.toLowerCase(), displayName: `${u.callsign} crew`, role: 'responder', jurisdictionId: null, unitId: u.id });
  await ds.createQueryBuilder().insert().into(User).values(rows.map((r) => ({ ...r, passwordHash: hash, demo: true }))).orIgnore().execute();
  return { created: rows.length };
}
