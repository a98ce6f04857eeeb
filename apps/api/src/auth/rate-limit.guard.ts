import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Response } from 'express';
import { RateLimited } from '../common/errors';

/**
 * The throttlers of `app.module.ts` (sign-in per minute per account and per address, call intake and AVL fixes per second), answering in the API's
 * error shape: `429 {statusCode, code: 'RATE_LIMITED', message}` with a `Retry-After` header (whole
 * seconds until the window lets the client in again, at least 1), instead of Nest's bare
 * `ThrottlerException: Too Many Requests`.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** @throws RateLimited (429) naming the wait in seconds */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    // @nestjs/throttler 6 gives the times in seconds.
    const wait = Math.max(1, Math.ceil(detail.isBlocked ? detail.timeToBlockExpire : detail.timeToExpire));
    const res = context.switchToHttp().getResponse<Response>();
    res.setHeader('Retry-After', String(wait));
    const per = Math.round(detail.ttl / 1000);
    if (context.getHandler().name === 'position') {
      // The AVL throttler: per unit and address (AVL_FIX_RATE_PER_S).
      throw new RateLimited(`too many position fixes: AVL_FIX_RATE_PER_S allows ${detail.limit} per unit per ${per} s from this address; retry after ${wait} s`, wait);
    }
    if (detail.tracker.startsWith('account:')) {
      throw new RateLimited(`too many sign-in attempts: SIGNIN_RATE_PER_MIN allows ${detail.limit} per account per ${per} s from this address; retry after ${wait} s`, wait);
    }
    if (detail.tracker.startsWith('address:')) {
      throw new RateLimited(`too many sign-in attempts: SIGNIN_RATE_PER_ADDRESS_PER_MIN allows ${detail.limit} per ${per} s from this address, whatever the account; retry after ${wait} s`, wait);
    }
    throw new RateLimited(`too many requests: at most ${detail.limit} per ${per} s from this address; retry after ${wait} s`, wait);
  }
}
