import { DynamicModule, Injectable, Module, OnApplicationShutdown, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { createDataSource } from '@cad/db';
import { CallsController } from './calls/calls.controller';
import { CallsService } from './calls/calls.service';
import { AppConfig } from './config/config';
import { ClockService } from './drill/clock.service';
import { DrillService } from './drill/drill.service';
import { EventsService } from './events/events.service';
import { RealtimeGateway } from './events/realtime.gateway';
import { StateController } from './events/state.controller';
import { AssignmentsService } from './incidents/assignments.service';
import { CommandChainService } from './incidents/command-chain.service';
import { DispatchService } from './incidents/dispatch.service';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsService } from './incidents/incidents.service';
import { ProcessorsService } from './incidents/processors.service';
import { JurisdictionsController } from './jurisdictions/jurisdictions.controller';
import { QueuesService } from './queues/queues.service';
import { jurisdictionIndexProvider, roadNetworkProvider } from './routing/routing.providers';
import { UnitsController } from './units/units.controller';
import { UnitsService } from './units/units.service';

/** Closes the record's connection pool on shutdown. */
@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

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
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        }),
      ],
      controllers: [CallsController, IncidentsController, UnitsController, JurisdictionsController, StateController],
      providers: [
        { provide: AppConfig, useValue: config },
        {
          provide: DataSource,
          useFactory: () => createDataSource(config.DATABASE_URL!).initialize(),
        },
        DataSourceCloser,
        roadNetworkProvider,
        jurisdictionIndexProvider,
        QueuesService,
        EventsService,
        ClockService,
        IncidentsService,
        CommandChainService,
        DispatchService,
        AssignmentsService,
        CallsService,
        ProcessorsService,
        RealtimeGateway,
        UnitsService,
        DrillService,
      ],
    };
  }
}
