import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { AuthService } from './auth.service';
import { Principal, Role } from './principal';
import { Forbidden, Unauthorized } from '../common/errors';
import { AppConfig } from '../config/config';

/** Cookie that lets a signed-in city commander's browser open the admin pages (`/admin/...`). */
export const ADMIN_COOKIE = 'cad_admin';
/** Audience of the cookie's token: a sign-in bearer token is not one. */
const AUDIENCE = 'cad-admin';
/** Roles allowed on the admin pages. */
export const ADMIN_ROLES: Role[] = ['city_commander'];

/**
 * Browser access to the admin pages (the queue dashboard). Browser pages cannot send a bearer header, so
 * a city commander's sign-in also sets a short-lived `HttpOnly`, `SameSite=Strict` cookie scoped to
 * `/admin` holding a token of its own audience (`ADMIN_COOKIE_TTL_S`, default 15 min; renewed by
 * `POST /api/admin/session`). API clients may send their bearer token instead.
 */
@Injectable()
export class AdminSession {
  constructor(
    private readonly jwt: JwtService,
    private readonly auth: AuthService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Sets the cookie on `res` for `p` when its role may open the admin pages; true when set. */
  grant(res: Response, req: Request, p: Principal): boolean {
    if (!ADMIN_ROLES.includes(p.role)) return false;
    const ttl = this.config.ADMIN_COOKIE_TTL_S;
    const token = this.jwt.sign({ sub: p.userId, username: p.username, role: p.role, jurisdictionId: p.jurisdictionId, unitId: p.unitId }, { expiresIn: ttl, audience: AUDIENCE });
    res.cookie(ADMIN_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/admin', maxAge: ttl * 1000, secure: req.secure });
    return true;
  }

  /**
   * The principal of an admin page request: from the cookie, else a bearer token.
   * @throws Unauthorized (401) with neither, or a token rejected; Forbidden (403) naming the role when it is not a commander's
   */
  async principalOf(req: Request): Promise<Principal> {
    const cookie = readCookie(req.headers.cookie, ADMIN_COOKIE);
    const header = req.headers.authorization;
    let p: Principal;
    if (cookie) {
      try {
        const c = this.jwt.verify<{ sub: string; username: string; role: Role; jurisdictionId: string | null; unitId: string | null }>(cookie, { audience: AUDIENCE });
        p = { userId: c.sub, username: c.username, role: c.role, jurisdictionId: c.jurisdictionId, unitId: c.unitId };
      } catch (e) {
        throw new Unauthorized(`admin session rejected: ${(e as Error).message}; sign in again`);
      }
    } else p = this.auth.verify(header?.startsWith('Bearer ') ? header.slice(7) : undefined);
    await this.auth.assertActive(p);
    if (!ADMIN_ROLES.includes(p.role)) throw new Forbidden(`the queue dashboard is for the city commander, not a ${p.role.replace(/_/g, ' ')}`);
    return p;
  }
}

/** The value of cookie `name` in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** On `POST /api/auth/sign-in`: a city commander's answer also sets the admin cookie ({@link AdminSession}). */
@Injectable()
export class AdminCookieOnSignIn implements NestInterceptor {
  constructor(private readonly session: AdminSession) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = ctx.switchToHttp();
    return next.handle().pipe(
      map((body: { user?: Principal }) => {
        if (body?.user) this.session.grant(http.getResponse<Response>(), http.getRequest<Request>(), body.user);
        return body;
      }),
    );
  }
}
