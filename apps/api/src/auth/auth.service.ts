import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { User } from '@cad/db';
import { AppConfig } from '../config/config';
import { Unauthorized } from '../common/errors';
import { AuditService } from './audit.service';
import { isDemoRecord } from './first-start';
import { Principal, Role } from './principal';

/** Token payload (JWT claims). */
interface Claims {
  sub: string;
  username: string;
  role: Role;
  jurisdictionId: string | null;
  unitId: string | null;
  /** The account's `token_version` when the token was issued. */
  ver?: number;
}

/** How long a process trusts what it last read of an account's state (disabled, session version), ms. */
export const ACCOUNT_CACHE_MS = 5_000;

/** A bcrypt hash of nothing anyone types, compared when the account is unknown so both failures take the same time. */
const DUMMY_HASH = '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.VXw5M2bQYzW1K6b5xYbL3FzQ5Q6e';

/** Signs people in (bcrypt password check, HS256 JWT) and verifies tokens for HTTP and socket.io. */
@Injectable()
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly jwt: JwtService,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  /**
   * Checks a username and password, and puts the sign-in (or its failure, with the reason) on the
   * audit trail. A demo account, and the demo password, sign in only on a record marked as a demo; a
   * disabled account and one whose first password is not set yet never do.
   * @param source client address, for the audit trail
   * @returns a token valid `TOKEN_TTL_S` seconds and the user's post
   * @throws Unauthorized (401) with one message for every refusal (unknown user, wrong password, disabled, demo account off a demo record)
   */
  async signIn(username: string, password: string, source: string | null = null): Promise<{ token: string; expiresInSeconds: number; user: Principal & { displayName: string } }> {
    const name = username.trim().toLowerCase();
    const user = await this.ds.getRepository(User).findOneBy({ username: name });
    const ok = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
    const demo = await isDemoRecord(this.ds);
    const reason = !user
      ? 'unknown account'
      : !user.passwordHash
        ? 'password not set yet'
        : !ok
          ? 'wrong password'
          : user.disabledAt
            ? 'account disabled'
            : !demo && (user.demo || password === this.config.DEMO_PASSWORD)
              ? 'demo password on a record that is not a demo'
              : null;
    if (reason || !user) {
      await this.audit.record({ actor: name.slice(0, 80), action: 'sign-in.failed', subject: user ? `user:${user.username}` : null, source, after: { reason } });
      throw new Unauthorized('username or password is wrong');
    }
    const p: Principal = { userId: user.id, username: user.username, role: user.role as Role, jurisdictionId: user.jurisdictionId, unitId: user.unitId, tokenVersion: user.tokenVersion };
    await this.audit.record({ actor: user.username, action: 'sign-in', subject: `user:${user.username}`, source });
    return { token: this.issue(p), expiresInSeconds: this.config.TOKEN_TTL_S, user: { ...p, displayName: user.displayName } };
  }

  /** Signs a token for a principal (also used for the system's own drill client). */
  issue(p: Principal): string {
    const claims: Claims = { sub: p.userId, username: p.username, role: p.role, jurisdictionId: p.jurisdictionId, unitId: p.unitId, ver: p.tokenVersion ?? 0 };
    return this.jwt.sign(claims, { expiresIn: this.config.TOKEN_TTL_S });
  }

  /** What each account was last read as, with when (epoch ms). */
  private readonly seen = new Map<string, { at: number; version: number; disabled: boolean }>();

  /**
   * Forgets what this process knows of an account, so the next request reads it again (called when
   * its sessions end, on this node and, through the session revocation, on every other).
   */
  forget(userId: string): void {
    this.seen.delete(userId);
  }

  /**
   * Checks that the token's account still exists, is not disabled and that its sessions were not
   * ended since the token was issued (the token's version is the account's current one). What was
   * read is trusted {@link ACCOUNT_CACHE_MS} per account; a change made anywhere drops it at once
   * (see `SessionRevocationService`). The system's own principal always passes.
   * @throws Unauthorized (401) naming why: deleted, disabled, or signed out
   */
  async assertActive(p: Principal): Promise<void> {
    if (p.role === 'system') return;
    let s = this.seen.get(p.userId);
    if (!s || Date.now() - s.at >= ACCOUNT_CACHE_MS) {
      const [row] = await this.ds.query('SELECT token_version, disabled_at FROM app_user WHERE id = $1', [p.userId]);
      if (!row) {
        this.seen.delete(p.userId);
        throw new Unauthorized('this account no longer exists: sign in again');
      }
      s = { at: Date.now(), version: Number(row.token_version), disabled: row.disabled_at !== null };
      this.seen.set(p.userId, s);
    }
    if (s.disabled) throw new Unauthorized('this account is disabled');
    if ((p.tokenVersion ?? 0) !== s.version) throw new Unauthorized('this session has ended (signed out, password or post changed): sign in again');
  }

  /**
   * Verifies a token (signature and expiry).
   * @throws Unauthorized (401) when it is missing, malformed, forged or expired
   */
  verify(token: string | undefined | null): Principal {
    if (!token) throw new Unauthorized('sign in first: no token');
    try {
      const c = this.jwt.verify<Claims>(token);
      return { userId: c.sub, username: c.username, role: c.role, jurisdictionId: c.jurisdictionId, unitId: c.unitId, tokenVersion: c.ver ?? 0 };
    } catch (e) {
      throw new Unauthorized(`token rejected: ${(e as Error).message}`);
    }
  }
}
