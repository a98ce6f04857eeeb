import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Forbidden } from '../common/errors';
import { AuthService } from './auth.service';
import { ALLOWED_ROLES, IS_PUBLIC, Role } from './principal';

/**
 * Global guard: every route needs a valid bearer token unless marked `@Public()`. Observers may
 * only read (`GET`); a route marked `@Allow(...)` admits only those roles.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: unknown }>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const user = this.auth.verify(token);
    await this.auth.assertActive(user);
    req.user = user;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOWED_ROLES, targets);
    if (allowed && !allowed.includes(user.role)) throw new Forbidden(`${user.role.replace(/_/g, ' ')} may not do this`);
    // Observers only read, except on a route that names them (signing out).
    if (req.method !== 'GET' && user.role === 'observer' && !allowed?.includes('observer')) throw new Forbidden('observers can only read');
    return true;
  }
}
