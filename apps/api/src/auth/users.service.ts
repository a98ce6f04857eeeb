import { Inject, Injectable } from '@nestjs/common';
import { LIVE_WORLD, type UserView } from '@cad/domain';
import { DataSource, EntityManager } from 'typeorm';
import { Jurisdiction, Unit, User } from '@cad/db';
import { AppConfig } from '../config/config';
import * as bcrypt from 'bcryptjs';
import { Forbidden, InvalidInput, NotFound, StateConflict } from '../common/errors';
import { AuditService } from './audit.service';
import { assertStrongPassword, hashPassword } from './password-policy';
import { Principal, Role, ROLES } from './principal';
import { SessionRevocationService } from './session-revocation.service';

/** A post: role plus the jurisdiction or unit it is bound to. */
export interface Post {
  role: Role;
  jurisdictionId: string | null;
  unitId: string | null;
}

/** The jurisdiction level each role is bound to (observers: any level; responders: a unit instead). */
const LEVEL_OF: Partial<Record<Role, string>> = { city_commander: 'city', district_dispatcher: 'district', street_dispatcher: 'street' };

/** The view of an account row. */
export function userView(u: User): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    jurisdictionId: u.jurisdictionId,
    unitId: u.unitId,
    disabled: u.disabledAt !== null,
    demo: u.demo,
    passwordSet: u.passwordHash !== null,
    createdAt: u.createdAt.toISOString(),
  };
}

/**
 * Account management by the city commander: create, change post (role, jurisdiction, unit) or name,
 * disable or enable, reset a password. Every change is on the audit trail with before and after, in
 * the change's transaction; a change of post, a disable and a password reset end every session of
 * the account (see {@link SessionRevocationService}). The last active city commander who can sign in
 * cannot be disabled or moved off the post (nobody could manage accounts any more).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionRevocationService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Every account, by username. */
  async list(): Promise<UserView[]> {
    return (await this.ds.getRepository(User).find({ order: { username: 'ASC' } })).map(userView);
  }

  /**
   * Creates an account with its first password.
   * @throws InvalidInput (400) for a post that does not fit (see {@link assertPost}) or a weak password
   * @throws StateConflict (409) when the username is taken
   */
  async create(actor: Principal, source: string | null, input: Post & { username: string; displayName: string; password: string }): Promise<UserView> {
    const username = input.username.trim().toLowerCase();
    await assertStrongPassword(input.password, { username, displayName: input.displayName, demoPassword: this.config.DEMO_PASSWORD });
    const passwordHash = await hashPassword(input.password);
    return this.ds.transaction(async (m) => {
      await this.assertPost(m, input);
      if (await m.getRepository(User).existsBy({ username })) throw new StateConflict(`username ${username} is taken`);
      const row = await m.getRepository(User).save({ username, displayName: input.displayName.trim(), passwordHash, role: input.role, jurisdictionId: input.jurisdictionId, unitId: input.unitId, demo: false });
      const view = userView(await m.getRepository(User).findOneByOrFail({ id: row.id }));
      await this.audit.record({ actor, action: 'user.create', subject: `user:${username}`, source, after: view }, m);
      return view;
    });
  }

  /**
   * Changes an account's name, post or state. A change of post or a disable ends its sessions.
   * @throws NotFound, InvalidInput (400), StateConflict (409) for the last city commander
   */
  async update(actor: Principal, source: string | null, id: string, change: Partial<Post> & { displayName?: string; disabled?: boolean }): Promise<UserView> {
    const { view, endSessions } = await this.ds.transaction(async (m) => {
      // One account change at a time: two commanders disabling each other at once cannot both succeed.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('cad:accounts'))`);
      const u = await this.locked(m, id);
      const before = userView(u);
      const post: Post = {
        role: change.role ?? (u.role as Role),
        jurisdictionId: change.jurisdictionId !== undefined ? change.jurisdictionId : change.role === 'responder' ? null : u.jurisdictionId,
        unitId: change.unitId !== undefined ? change.unitId : change.role && change.role !== 'responder' ? null : u.unitId,
      };
      const postChanged = post.role !== u.role || post.jurisdictionId !== u.jurisdictionId || post.unitId !== u.unitId;
      if (postChanged) await this.assertPost(m, post);
      const disabledAt = change.disabled === undefined ? u.disabledAt : change.disabled ? (u.disabledAt ?? new Date()) : null;
      if ((disabledAt && !u.disabledAt) || (u.role === 'city_commander' && post.role !== 'city_commander')) await this.assertNotLastCommander(m, u);
      const endSessions = postChanged || (disabledAt !== null && u.disabledAt === null);
      await m.getRepository(User).update(
        { id },
        { ...post, displayName: change.displayName?.trim() ?? u.displayName, disabledAt, tokenVersion: endSessions ? u.tokenVersion + 1 : u.tokenVersion },
      );
      const view = userView(await m.getRepository(User).findOneByOrFail({ id }));
      const action = change.disabled === true && !u.disabledAt ? 'user.disable' : change.disabled === false && u.disabledAt ? 'user.enable' : postChanged ? 'user.post-change' : 'user.update';
      await this.audit.record({ actor, action, subject: `user:${u.username}`, source, before, after: view }, m);
      // Enabling again must also reach every node's cached view of the account.
      return { view, endSessions: endSessions || (disabledAt === null && u.disabledAt !== null) };
    });
    if (endSessions) this.sessions.ended(id);
    return view;
  }

  /**
   * Sets a new password for an account (a reset by the commander, or the first commander's first
   * password, or the account's own change) and ends every session of the account. The audit entry
   * never holds the password. `opts.field` names the request field in a refusal; `opts.manager` runs it
   * in the caller's transaction.
   * @throws NotFound, InvalidInput (400) for a weak password
   */
  async setPassword(
    actor: Principal | string,
    source: string | null,
    id: string,
    password: string,
    opts: { action?: string; field?: string; manager?: EntityManager } = {},
  ): Promise<UserView> {
    const { action = 'user.password-reset', field = 'password', manager } = opts;
    const run = async (m: EntityManager) => {
      const u = await this.locked(m, id);
      await assertStrongPassword(password, { username: u.username, displayName: u.displayName, demoPassword: this.config.DEMO_PASSWORD }, field);
      await m.getRepository(User).update({ id }, { passwordHash: await hashPassword(password), tokenVersion: u.tokenVersion + 1, demo: false });
      const view = userView(await m.getRepository(User).findOneByOrFail({ id }));
      await this.audit.record({ actor, action, subject: `user:${u.username}`, source, before: { passwordSet: u.passwordHash !== null, demo: u.demo }, after: { passwordSet: true, demo: false } }, m);
      return view;
    };
    const view = manager ? await run(manager) : await this.ds.transaction(run);
    this.sessions.ended(id);
    return view;
  }

  /**
   * The signed-in account changes its own password, giving the current one; every session of the
   * account ends (the caller signs in again with the new one).
   * @throws Forbidden (403) when `currentPassword` is wrong; InvalidInput (400) for a weak new password
   */
  async changeOwnPassword(p: Principal, source: string | null, currentPassword: string, newPassword: string): Promise<UserView> {
    const u = await this.ds.getRepository(User).findOneBy({ id: p.userId });
    if (!u?.passwordHash || !(await bcrypt.compare(currentPassword, u.passwordHash))) {
      await this.audit.record({ actor: p, action: 'user.password-change.failed', subject: `user:${p.username}`, source, after: { reason: 'wrong current password' } });
      throw new Forbidden('currentPassword is wrong');
    }
    return this.setPassword(p, source, p.userId, newPassword, { action: 'user.password-change', field: 'newPassword' });
  }

  /** Ends every session of the signed-in account (sign-out everywhere), on the record. */
  async signOut(p: Principal, source: string | null): Promise<void> {
    await this.ds.query('UPDATE app_user SET token_version = token_version + 1 WHERE id = $1', [p.userId]);
    await this.audit.record({ actor: p, action: 'sign-out', subject: `user:${p.username}`, source });
    this.sessions.ended(p.userId);
  }

  /** The account row, locked for the rest of the transaction. @throws NotFound */
  private async locked(m: EntityManager, id: string): Promise<User> {
    const u = await m.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!u) throw new NotFound('user', id);
    return u;
  }

  /**
   * Checks that a post fits: a known role; commanders, dispatchers and observers bound to an existing
   * jurisdiction of their level (observers any) and no unit; a responder bound to an existing unit and
   * no jurisdiction.
   * @throws InvalidInput (400) naming the field
   */
  private async assertPost(m: EntityManager, p: Post): Promise<void> {
    if (!(ROLES as readonly string[]).includes(p.role)) throw new InvalidInput(`role must be one of ${ROLES.join(', ')}`);
    if (p.role === 'responder') {
      if (!p.unitId) throw new InvalidInput('unitId is required for a responder');
      if (p.jurisdictionId) throw new InvalidInput('jurisdictionId must be empty for a responder (a responder follows its unit)');
      if (!(await m.getRepository(Unit).existsBy({ world: LIVE_WORLD, id: p.unitId }))) throw new InvalidInput(`unitId ${p.unitId} is not a known unit`);
      return;
    }
    if (p.unitId) throw new InvalidInput(`unitId must be empty for a ${p.role.replace(/_/g, ' ')}`);
    if (!p.jurisdictionId) throw new InvalidInput(`jurisdictionId is required for a ${p.role.replace(/_/g, ' ')}`);
    const j = await m.getRepository(Jurisdiction).findOne({ where: { id: p.jurisdictionId }, select: { id: true, level: true } });
    if (!j) throw new InvalidInput(`jurisdictionId ${p.jurisdictionId} is not a known jurisdiction`);
    const level = LEVEL_OF[p.role];
    if (level && j.level !== level) throw new InvalidInput(`jurisdictionId must be a ${level} for a ${p.role.replace(/_/g, ' ')}, not the ${j.level} ${j.id}`);
  }

  /** @throws StateConflict (409) when `u` is the only active city commander who can sign in */
  private async assertNotLastCommander(m: EntityManager, u: User): Promise<void> {
    if (u.role !== 'city_commander' || u.disabledAt || !u.passwordHash) return;
    const [{ n }] = await m.query(`SELECT COUNT(*)::int AS n FROM app_user WHERE role = 'city_commander' AND disabled_at IS NULL AND password_hash IS NOT NULL AND id <> $1`, [u.id]);
    if (n === 0) throw new StateConflict(`${u.username} is the last active city commander: appoint another before disabling or moving this one`);
  }
}
