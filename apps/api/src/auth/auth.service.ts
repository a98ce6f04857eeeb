import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { User } from '@cad/db';
import { AppConfig } from '../config/config';
import { Unauthorized } from '../common/errors';
import { Principal, Role } from './principal';

/** Token payload (JWT claims). */
interface Claims {
  sub: string;
  username: string;
  role: Role;
  jurisdictionId: string | null;
  unitId: string | null;
}

/** Signs people in (bcrypt password check, HS256 JWT) and verifies tokens for HTTP and socket.io. */
@Injectable()
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly jwt: JwtService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Checks a username and password.
   * @returns a token valid `TOKEN_TTL_S` seconds and the user's post
   * @throws Unauthorized (401) with one message for an unknown user or a wrong password
   */
  async signIn(username: string, password: string): Promise<{ token: string; expiresInSeconds: number; user: Principal & { displayName: string } }> {
    const user = await this.ds.getRepository(User).findOneBy({ username: username.trim().toLowerCase() });
    // Compare against a fixed hash when the user is unknown, so both failures take the same time.
    const ok = await bcrypt.compare(password, user?.passwordHash ?? '$2b$10$CwTycUXWue0Thq9StjUM0uJ8.VXw5M2bQYzW1K6b5xYbL3FzQ5Q6e');
    if (!user || !ok) throw new Unauthorized('username or password is wrong');
    const p: Principal = { userId: user.id, username: user.username, role: user.role as Role, jurisdictionId: user.jurisdictionId, unitId: user.unitId };
    return { token: this.issue(p), expiresInSeconds: this.config.TOKEN_TTL_S, user: { ...p, displayName: user.displayName } };
  }

  /** Signs a token for a principal (also used for the system's own drill client). */
  issue(p: Principal): string {
    const claims: Claims = { sub: p.userId, username: p.username, role: p.role, jurisdictionId: p.jurisdictionId, unitId: p.unitId };
    return this.jwt.sign(claims, { expiresIn: this.config.TOKEN_TTL_S });
  }

  /** Users known to exist, with when that was last checked (epoch ms). */
  private readonly seen = new Map<string, number>();

  /**
   * Checks that the token's user still exists (a deleted account's tokens stop working within
   * 15 s; the answer is cached that long per user). The system's own principal always passes.
   * @throws Unauthorized (401) when the account no longer exists
   */
  async assertActive(p: Principal): Promise<void> {
    if (p.role === 'system') return;
    const checked = this.seen.get(p.userId);
    if (checked !== undefined && Date.now() - checked < 15_000) return;
    const [row] = await this.ds.query('SELECT 1 AS ok FROM app_user WHERE id = $1', [p.userId]);
    if (!row) {
      this.seen.delete(p.userId);
      throw new Unauthorized('this account no longer exists: sign in again');
    }
    this.seen.set(p.userId, Date.now());
  }

  /**
   * Verifies a token (signature and expiry).
   * @throws Unauthorized (401) when it is missing, malformed, forged or expired
   */
  verify(token: string | undefined | null): Principal {
    if (!token) throw new Unauthorized('sign in first: no token');
    try {
      const c = this.jwt.verify<Claims>(token);
      return { userId: c.sub, username: c.username, role: c.role, jurisdictionId: c.jurisdictionId, unitId: c.unitId };
    } catch (e) {
      throw new Unauthorized(`token rejected: ${(e as Error).message}`);
    }
  }
}
