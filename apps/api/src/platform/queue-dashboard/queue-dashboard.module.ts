import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { AdminSessionController } from './admin-session.controller';

/** The queue dashboard's access: renewal of the admin cookie set at a commander's sign-in (`AdminSession`, from auth). */
@Module({
  imports: [AuthModule],
  controllers: [AdminSessionController],
})
export class QueueDashboardModule {}
