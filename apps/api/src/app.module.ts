import { DynamicModule, ExecutionContext, Injectable, Module, OnApplicationShutdown, RequestMethod } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { createSecretKey, randomBytes } from 'node:crypto';
import { AccessService } from './auth/access.service';
import { ClosuresController } from './closures/closures.controller';
import { ResponsePlansController } from './plans/response-plans.controller';
import { ResponsePlansService } from './plans/response-plans.service';
import { CoverageController } from './coverage/coverage.controller';
import { CoverageService } from './coverage/coverage.service';
import { ClosuresService } from './closures/closures.service';
import { GeocoderService } from './jurisdictions/geocoder.service';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { AuditController } from './auth/audit.controller';
import { AuditService } from './auth/audit.service';
import { FirstPasswordService } from './auth/first-password.service';
import { SessionRevocationService } from './auth/session-revocation.service';
import { ClusterThrottlerStorage } from './auth/throttler-storage';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { UsersController } from './auth/users.controller';
import { UsersService } from './auth/users.service';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { createDataSource } from '@cad/db';
import { JurisdictionIndex } from '@cad/domain';
import { RoadNetwork } from '@cad/routing';
import { CallsController } from './calls/calls.controller';
import { CallsService } from './calls/calls.service';
import { LocationCheckService } from './intake/location-check.service';
import { AppConfig } from './config/config';
import { ClockService } from './platform/clock/clock.service';
import { DrillModule } from './drill/drill.module';
import { CapController } from './exports/cap.controller';
import { EventSequencer } from './events/event-sequencer';
import { AlertsModule } from './alerts/alerts.module';
import { SitrepModule } from './sitrep/sitrep.module';
import { LifelinesModule } from './lifelines/lifelines.module';
import { OutagesModule } from './outages/outages.module';
import { PROCESS_ROLE } from './outages/outages.service';
import { CallRecordModule } from './call-record/call-record.module';
import { EventsService } from './events/events.service';
import { IntakeStallService } from './events/intake-stall.service';
import { RealtimeGateway } from './events/realtime.gateway';
import { StateController } from './events/state.controller';
import { AssignmentsService } from './incidents/assignments.service';
import { CommandChainService } from './incidents/command-chain/command-chain.service';
import { DeadlinesService } from './incidents/command-chain/deadlines.service';
import { RecommendationsService } from './incidents/dispatch/recommendations.service';
import { RecommendationDecisionsService } from './incidents/dispatch/recommendation-decisions.service';
import { DispatchService } from './incidents/dispatch/dispatch.service';
import { DispatchCandidatesService } from './incidents/dispatch/dispatch-candidates.service';
import { UnitAssignmentService } from './incidents/dispatch/unit-assignment.service';
import { AssignByHandService } from './incidents/dispatch/assign-by-hand.service';
import { ResourceRequestsService } from './incidents/dispatch/resource-requests.service';
import { DispatchRoundService } from './incidents/dispatch/dispatch-round.service';
import { IncidentsController } from './incidents/incidents.controller';
import { DispatchController } from './incidents/dispatch/dispatch.controller';
import { AssignmentsController } from './incidents/assignments.controller';
import { IncidentHistoryController } from './incidents/history/history.controller';
import { IncidentHistoryService } from './incidents/history/history.service';
import { AgencyRequestsController } from './incidents/agency-requests.controller';
import { AgencyRequestsService } from './incidents/agency-requests.service';
import { IncidentsService } from './incidents/incidents.service';
import { IncidentIntakeService } from './incidents/incident-intake.service';
import { ProcessorsService } from './incidents/processors.service';
import { PremiseNotesModule } from './premise-notes/premise-notes.module';
import { HospitalsModule } from './hospitals/hospitals.module';
import { ParModule } from './par/par.module';
import { UnitMessagesModule } from './unit-messages/unit-messages.module';
import { MoveUpsModule } from './move-ups/move-ups.module';
import { MoveUpProposer } from './move-ups/move-up-proposer';
import { MoveUpsService } from './move-ups/move-ups.service';
import { AckAlertsController } from './incidents/ack-alerts.controller';
import { AckAlertsService } from './incidents/ack-alerts.service';
import { JurisdictionsController } from './jurisdictions/jurisdictions.controller';
import { QueuesService } from './queues/queues.service';
import { RedispatchService } from './queues/redispatch';
import { jurisdictionIndexProvider, roadNetworkProvider } from './routing/routing.providers';
import { TravelModelController } from './routing/travel-model.controller';
import { TravelModelService } from './routing/travel-model.service';
import { UnitsController } from './units/units.controller';
import { UnitsService } from './units/units.service';
import { PlatformModule } from './platform/platform.module';
import pino from 'pino';
import { pinoOptions, ProcessRole } from './platform/logging/logger';
import { AvlService } from './assignments/avl.service';
import { ClockOffsetService, DeviceClockInterceptor } from './assignments/clock-offset.service';
import { ClocksController } from './assignments/clocks.controller';
import { LocationChangeService } from './incidents/location-change.service';
import { LocationController } from './incidents/location.controller';
import { PlaceNamesService } from './jurisdictions/place-names.service';
import { PlacesController } from './jurisdictions/places.controller';

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
  static register(config: AppConfig, role: ProcessRole = 'api'): DynamicModule {
    return {
      module: AppModule,
      // Global: the platform modules (health, metrics, queue dashboard) and the drill module use these providers.
      global: true,
      exports: [
        AppConfig,
        DataSource,
        JwtService,
        AuthService,
        QueuesService,
        RealtimeGateway,
        IntakeStallService,
        // What DrillModule drives: the live services a drill runs through, in its own world.
        ClockService,
        AssignmentsService,
        IncidentsService,
        ClosuresService,
        TravelModelService,
        CoverageService,
        ResponsePlansService,
        AuditService,
        RoadNetwork,
        JurisdictionIndex,
        MoveUpProposer,
        MoveUpsService,
      ],
      imports: [
        PlatformModule,
        DrillModule,
        // Named limits, each applied to one route: sign-in (per minute) and call intake (per second), per client address,
        // counted in Redis so that they hold across API nodes.
        ThrottlerModule.forRoot({
          storage: new ClusterThrottlerStorage(config.REDIS_URL!, config.REDIS_PREFIX),
          throttlers: [
            {
              // Per account and address: one user's typos do not lock out a dispatch room that shares an address.
              name: 'signin',
              ttl: 60_000,
              limit: config.SIGNIN_RATE_PER_MIN,
              skipIf: (ctx: ExecutionContext) => !['signIn', 'setFirstPassword', 'changePassword'].includes(ctx.getHandler().name),
              getTracker: (req: Record<string, unknown>) => `${String(req.ip)}:${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase().slice(0, 80)}`,
            },
            { name: 'intake', ttl: 1_000, limit: config.INTAKE_RATE_PER_S, skipIf: (ctx: ExecutionContext) => ctx.getClass().name !== 'CallsController' || ctx.getHandler().name !== 'create' },
          ],
        }),
        LoggerModule.forRoot({
          // JSON lines on stdout; a CLI's (the drill's) on stderr, keeping its stdout for its results.
          pinoHttp: [{ ...pinoOptions(config.LOG_LEVEL, role), autoLogging: false, quietReqLogger: true }, pino.destination({ fd: role === 'drill' ? 2 : 1, sync: true })],
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        }),
      ],
      controllers: [AuthController, UsersController, AuditController, CallsController, ClosuresController, CoverageController, ResponsePlansController, CapController, IncidentsController, DispatchController, AssignmentsController, IncidentHistoryController, AgencyRequestsController, UnitsController, JurisdictionsController, StateController, ClocksController, LocationController, PlacesController, AckAlertsController, ...AlertsModule.controllers, ...SitrepModule.controllers, ...LifelinesModule.controllers, ...OutagesModule.controllers, ...CallRecordModule.controllers, ...UnitMessagesModule.controllers, ...MoveUpsModule.controllers, ...PremiseNotesModule.controllers, ...HospitalsModule.controllers, ...ParModule.controllers, TravelModelController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: PROCESS_ROLE, useValue: role },
        {
          provide: DataSource,
          useFactory: () => createDataSource(config.DATABASE_URL!).initialize(),
        },
        DataSourceCloser,
        {
          // The token signing secret: JWT_SECRET, else a random one kept in the record so every API and worker process shares it.
          provide: JwtService,
          inject: [DataSource],
          useFactory: async (ds: DataSource) => {
            let secret = config.JWT_SECRET;
            if (!secret) {
              await ds.query(`INSERT INTO app_setting (key, value) VALUES ('jwt_secret', $1) ON CONFLICT (key) DO NOTHING`, [randomBytes(48).toString('base64url')]);
              [{ value: secret }] = await ds.query(`SELECT value FROM app_setting WHERE key = 'jwt_secret'`);
            }
            // A KeyObject, not the string: given a string, jsonwebtoken tries (and fails) to parse it as a
            // public key on every verify, a thrown error per request that was 7% of the API's CPU under load (issue 19).
            return new JwtService({ secret: createSecretKey(Buffer.from(secret!)), signOptions: { algorithm: 'HS256' }, verifyOptions: { algorithms: ['HS256'] } });
          },
        },
        AuthService,
        AccessService,
        AuditService,
        UsersService,
        FirstPasswordService,
        SessionRevocationService,
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        roadNetworkProvider,
        jurisdictionIndexProvider,
        QueuesService,
        RedispatchService,
        EventSequencer,
        EventsService,
        IntakeStallService,
        ClockService,
        IncidentsService,
        IncidentIntakeService,
        IncidentHistoryService,
        CommandChainService,
        DeadlinesService,
        DispatchService,
        DispatchCandidatesService,
        UnitAssignmentService,
        AssignByHandService,
        ResourceRequestsService,
        AgencyRequestsService,
        DispatchRoundService,
        RecommendationsService,
        RecommendationDecisionsService,
        AssignmentsService,
        CallsService,
        LocationCheckService,
        LocationChangeService,
        PlaceNamesService,
        ProcessorsService,
        AckAlertsService,
        RealtimeGateway,
        UnitsService,
        ClockOffsetService,
        AvlService,
        { provide: APP_INTERCEPTOR, useClass: DeviceClockInterceptor },
        ClosuresService,
        GeocoderService,
        ResponsePlansService,
        CoverageService,
        TravelModelService,
        ...AlertsModule.providers,
        ...SitrepModule.providers,
        ...LifelinesModule.providers,
        ...OutagesModule.providers,
        ...CallRecordModule.providers,
        ...UnitMessagesModule.providers,
        ...MoveUpsModule.providers,
        ...PremiseNotesModule.providers,
        ...HospitalsModule.providers,
        ...ParModule.providers,
      ],
    };
  }
}
