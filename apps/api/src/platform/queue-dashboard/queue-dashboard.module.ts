import { Module } from '@nestjs/common';
import { AdminSession, AdminCookieOnSignIn } from '../../auth/admin-session';
import { AdminSessionController } from './admin-session.controller';

/** The queue dashboard's access: the admin cookie set at a commander's sign-in and its renewal. */
@Module({
  controllers: [AdminSessionController],
  providers: [AdminSession, AdminCookieOnSignIn],
  exports: [AdminSession, AdminCookieOnSignIn],
})
export class QueueDashboardModule {}
