import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { ENTITIES } from '../../../db/entities';
import { MIGRATIONS } from '../../../db/migrations/index';
import { CallsController } from './calls/calls.controller';
import { CallsService } from './calls/calls.service';
import { AppConfig } from './config/config';
import { ClockService } from './drill/clock.service';
import { DrillService } from './drill/drill.service';
import { EventsService } from './events/events.service';
import { RealtimeGateway } from './events/realtime.gateway';
import { StateController } from './events/state.controller';
import { AssignmentsService } from './incidents/assignments.service';
import { DispatchService } from './incidents/dispatch.service';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsService } from './incidents/incidents.service';
import { ProcessorsService } from './incidents/processors.service';
import { JurisdictionsController } from './jurisdictions/jurisdictions.controller';
import { QueuesService } from './queues/queues.service';
import { jurisdictionIndexProvider, roadNetworkProvider } from './routing/routing.providers';
import { UnitsController } from './units/units.controller';

/**
 * The application. `config` must already hold DATABASE_URL and REDIS_URL (resolved by
 * `resolveServices`) and the schema must be migrated.
 */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { level: config.LOG_LEVEL, autoLogging: false, quietReqLogger: true },
        }),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.DATABASE_URL,
          entities: ENTITIES,
          migrations: MIGRATIONS,
          synchronize: false,
          uuidExtension: 'pgcrypto',
          extra: { max: 10 },
        }),
      ],
      controllers: [CallsController, IncidentsController, UnitsController, JurisdictionsController, StateController],
      providers: [
        { provide: AppConfig, useValue: config },
        roadNetworkProvider,
        jurisdictionIndexProvider,
        QueuesService,
        EventsService,
        ClockService,
        IncidentsService,
        DispatchService,
        AssignmentsService,
        CallsService,
        ProcessorsService,
        RealtimeGateway,
        DrillService,
      ],
    };
  }
}
