import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { AuthController } from './auth.controller';
import { UsersController } from './users.controller';
import { AuditController } from './audit.controller';
import { AuthService } from './auth.service';
import { AccessService } from './access.service';
import { AuditService } from './audit.service';
import { UsersService } from './users.service';
import { FirstPasswordService } from './first-password.service';
import { SessionRevocationService } from './session-revocation.service';
import { AdminSession, AdminCookieOnSignIn } from './admin-session';

/**
 * Who may do what: sign-in and tokens, users and their posts, first passwords, revoked sessions, the
 * audit trail, access scopes (a post's jurisdiction), and the queue dashboard's admin session.
 * Imports the routing room (the jurisdiction index scopes access). Exports `AuthService` (verify a
 * token; the global guard uses it), `AccessService` (scope checks every room makes), `AuditService`,
 * `SessionRevocationService` (the realtime gateway closes a revoked user's sockets) and `AdminSession`
 * (the queue dashboard's cookie).
 */
@Module({
  imports: [RoutingModule],
  controllers: [AuthController, UsersController, AuditController],
  providers: [AuthService, AccessService, AuditService, UsersService, FirstPasswordService, SessionRevocationService, AdminSession, AdminCookieOnSignIn],
  exports: [AuthService, AccessService, AuditService, SessionRevocationService, AdminSession],
})
export class AuthModule {}
