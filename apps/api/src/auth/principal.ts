import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

/** Roles of the people who use the system, from the top of the chain down, plus the system itself. */
export const ROLES = ['city_commander', 'district_dispatcher', 'street_dispatcher', 'responder', 'observer'] as const;
export type Role = (typeof ROLES)[number] | 'system';

/** Who is calling, as carried in the sign-in token. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  /** Jurisdiction whose subtree the user sees and acts on (null for responders). */
  jurisdictionId: string | null;
  /** The unit a responder crews. */
  unitId: string | null;
  /** The account's session version the token was issued under (see `app_user.token_version`); absent means 0. */
  tokenVersion?: number;
}

/** Routes marked public need no token (health, sign-in). */
export const IS_PUBLIC = 'cad:public';
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Roles allowed on a route that changes something (observers never are). */
export const ALLOWED_ROLES = 'cad:roles';
export const Allow = (...roles: Role[]) => SetMetadata(ALLOWED_ROLES, roles);

/** Dispatching roles: they take calls and act on incidents in their jurisdiction's subtree. */
export const DISPATCHERS: Role[] = ['city_commander', 'district_dispatcher', 'street_dispatcher', 'system'];

/** The signed-in principal of the request (set by the JWT guard). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user);

/** The actor name recorded on events: the username (or `system:<name>`). */
export function actorOf(p: Principal): string {
  return p.role === 'system' ? `system:${p.username}` : p.username;
}
