import { Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Unauthorized } from '../common/errors';
import { FIRST_PASSWORD_KEY, FirstPasswordToken, tokenDigest } from './first-start';
import type { UserView } from '@cad/domain';
import { UsersService } from './users.service';

/**
 * Sets the first city commander's password with the one-time token the API printed at its first
 * start (see `prepareAccounts`). The token works once: it is deleted in the same transaction that
 * sets the password, so two uses at once set it at most once.
 */
@Injectable()
export class FirstPasswordService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
  ) {}

  /**
   * @param source client address, for the audit trail
   * @throws Unauthorized (401) when the token is unknown, used, replaced by a later start, or expired
   * @throws InvalidInput (400) for a weak password (the token stays usable)
   */
  async set(token: string, password: string, source: string | null): Promise<UserView> {
    return this.ds.transaction(async (m) => {
      const [row] = await m.query('SELECT value FROM app_setting WHERE key = $1 FOR UPDATE', [FIRST_PASSWORD_KEY]);
      const stored = row ? (JSON.parse(row.value) as FirstPasswordToken) : null;
      const given = Buffer.from(tokenDigest(token), 'hex');
      const matches = stored !== null && timingSafeEqual(given, Buffer.from(stored.sha256, 'hex'));
      if (!stored || !matches) throw new Unauthorized('this first-password token is not valid (used already, or a later start printed a new one)');
      if (Date.parse(stored.expiresAt) <= Date.now()) throw new Unauthorized(`this first-password token expired at ${stored.expiresAt}: restart the API for a new one`);
      const view = await this.users.setPassword('system:first-start', source, stored.userId, password, { action: 'user.first-password', manager: m });
      await m.query('DELETE FROM app_setting WHERE key = $1', [FIRST_PASSWORD_KEY]);
      return view;
    });
  }
}
