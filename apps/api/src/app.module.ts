import { DynamicModule, ExecutionContext, Module, RequestMethod } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { AlertsModule } from './alerts/alerts.module';
import { AssignmentsModule } from './assignments/assignments.module';
import { DeviceClockGuard } from './assignments/clock-offset.service';
import { AuthGuard } from './auth/auth.guard';
import { AuthModule } from './auth/auth.module';
import { RateLimitGuard } from './auth/rate-limit.guard';
import { ClusterThrottlerStorage } from './auth/throttler-storage';
import { CallRecordModule } from './call-record/call-record.module';
import { CallsModule } from './calls/calls.module';
import { ClosuresModule } from './closures/closures.module';
import { AppConfig } from './config/config';
import { CoverageModule } from './coverage/coverage.module';
import { DrillModule } from './drill/drill.module';
import { EventsModule } from './events/events.module';
import { ExportsModule } from './exports/exports.module';
import { HospitalsModule } from './hospitals/hospitals.module';
import { CommandChainModule } from './command-chain/command-chain.module';
import { DemoCrewsModule } from './demo-crews/demo-crews.module';
import { DispatchModule } from './dispatch/dispatch.module';
import { IncidentsModule } from './incidents/incidents.module';
import { IntakeModule } from './intake/intake.module';
import { JurisdictionsModule } from './jurisdictions/jurisdictions.module';
import { LifelinesModule } from './lifelines/lifelines.module';
import { MoveUpsModule } from './move-ups/move-ups.module';
import { OutagesModule } from './outages/outages.module';
import { ParModule } from './par/par.module';
import { ClockModule } from './platform/clock/clock.module';
import { CoreModule } from './platform/core/core.module';
import { pinoOptions, ProcessRole } from './platform/logging/logger';
import { PlatformModule } from './platform/platform.module';
import { ResponsePlansModule } from './plans/response-plans.module';
import { PremiseNotesModule } from './premise-notes/premise-notes.module';
import { QueuesModule } from './queues/queues.module';
import { RoutingModule } from './routing/routing.module';
import { SitrepModule } from './sitrep/sitrep.module';
import { UnitMessagesModule } from './unit-messages/unit-messages.module';
import { UnitsModule } from './units/units.module';

/**
 * The rooms of the API, in the order of the data flow (each imports only rooms before it): the core
 * (global: configuration, process role, record, token signer), then the clock, routing, queues,
 * outages, auth, events, plans, coverage, jurisdictions, move-ups, assignments (positions), closures,
 * incidents, the command chain, dispatch, intake, calls, units and the rooms that build on them (demo
 * crews among them), and the drill, which nothing imports. AppModule itself declares no service: only the cross-cutting
 * parts (logging, the throttler and the three global guards: throttler, sign-in, device clock).
 */
export const ROOMS = [
  ClockModule,
  RoutingModule,
  QueuesModule,
  OutagesModule,
  AuthModule,
  EventsModule,
  ResponsePlansModule,
  CoverageModule,
  JurisdictionsModule,
  MoveUpsModule,
  AssignmentsModule,
  ClosuresModule,
  IncidentsModule,
  CommandChainModule,
  DispatchModule,
  IntakeModule,
  CallsModule,
  UnitsModule,
  AlertsModule,
  ExportsModule,
  SitrepModule,
  LifelinesModule,
  CallRecordModule,
  UnitMessagesModule,
  PremiseNotesModule,
  HospitalsModule,
  ParModule,
  DemoCrewsModule,
  PlatformModule,
  DrillModule,
];

/**
 * The application. `config` must already hold DATABASE_URL and REDIS_URL (resolved by
 * `resolveServices`) and the schema must be migrated.
 */
@Module({})
export class AppModule {
  /**
   * @param config the resolved configuration
   * @param role what this process is (`api`, `worker`, `drill`): logs and outage heartbeats name it
   */
  static register(config: AppConfig, role: ProcessRole = 'api'): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.register(config, role),
        ...ROOMS,
        // Named limits, each applied to one route: sign-in (per minute), call intake and AVL fixes (per second), per client address,
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
              getTracker: (req: Record<string, unknown>) => `account:${String(req.ip)}:${String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase().slice(0, 80)}`,
            },
            {
              // Per address, whatever the username: one address cannot try account after account (a dispatch
              // room's shift change behind one address stays well under it).
              name: 'signin-address',
              ttl: 60_000,
              limit: config.SIGNIN_RATE_PER_ADDRESS_PER_MIN,
              skipIf: (ctx: ExecutionContext) => !['signIn', 'setFirstPassword', 'changePassword'].includes(ctx.getHandler().name),
              getTracker: (req: Record<string, unknown>) => `address:${String(req.ip)}`,
            },
            { name: 'intake', ttl: 1_000, limit: config.INTAKE_RATE_PER_S, skipIf: (ctx: ExecutionContext) => ctx.getClass().name !== 'CallsController' || ctx.getHandler().name !== 'create' },
            {
              // AVL fixes per unit and address: a 1 Hz phone never meets it; a flood from one phone does.
              name: 'avl',
              ttl: 1_000,
              limit: config.AVL_FIX_RATE_PER_S,
              skipIf: (ctx: ExecutionContext) => ctx.getClass().name !== 'UnitsController' || ctx.getHandler().name !== 'position',
              getTracker: (req: Record<string, unknown>) => `${String(req.ip)}:${String((req.params as { id?: unknown } | undefined)?.id ?? '').toLowerCase().slice(0, 40)}`,
            },
          ],
        }),
        LoggerModule.forRoot({
          // JSON lines on stdout; a CLI's (the drill's) on stderr, keeping its stdout for its results.
          pinoHttp: [{ ...pinoOptions(config.LOG_LEVEL, role), autoLogging: false, quietReqLogger: true }, pino.destination({ fd: role === 'drill' ? 2 : 1, sync: true })],
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        }),
      ],
      providers: [
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        // After AuthGuard (global guards run in this order): the account is known, a refused request teaches no clock.
        { provide: APP_GUARD, useClass: DeviceClockGuard },
      ],
    };
  }
}
