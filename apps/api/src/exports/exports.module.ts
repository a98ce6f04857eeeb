import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { AuthModule } from '../auth/auth.module';
import { AlertsModule } from '../alerts/alerts.module';
import { CapController } from './cap.controller';

/** Exports of an incident in other formats (CAP); uses incidents, auth and the alerts' CAP validator. Exports nothing. */
@Module({
  imports: [IncidentsModule, AuthModule, AlertsModule],
  controllers: [CapController],
})
export class ExportsModule {}
