import { DynamicModule, Inject, Injectable, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { FAULT_POINTS, FaultPoint, setFaultHandler } from '../platform/fault-points';

/** Token of the fault point a {@link FaultInjectionModule} kills its process at. */
const KILL_AT = Symbol('KILL_AT');

/**
 * Test only: while its module lives, the process SIGKILLs itself the first time a job reaches the
 * chosen fault point (no shutdown hook, no `finally`: as a power cut or the OOM killer would).
 */
@Injectable()
class KillAtFaultPoint implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(KILL_AT) private readonly at: FaultPoint) {}

  onModuleInit(): void {
    setFaultHandler((point) => {
      if (point === this.at) process.kill(process.pid, 'SIGKILL');
    });
  }

  onModuleDestroy(): void {
    setFaultHandler(null);
  }
}

/**
 * The fault tests' module: imported only by the test worker entry (`fault-worker.ts`), never by
 * `AppModule`, `main.ts` or `worker.ts` (the architecture spec checks it).
 */
@Module({})
export class FaultInjectionModule {
  /**
   * @param at the fault point to die at
   * @throws Error naming the known points when `at` is none of them
   */
  static killAt(at: string): DynamicModule {
    if (!(FAULT_POINTS as readonly string[]).includes(at)) throw new Error(`unknown fault point ${JSON.stringify(at)}: one of ${FAULT_POINTS.join(', ')}`);
    return { module: FaultInjectionModule, providers: [{ provide: KILL_AT, useValue: at }, KillAtFaultPoint] };
  }
}
