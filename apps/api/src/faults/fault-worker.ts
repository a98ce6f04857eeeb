import { startWorkerProcess } from '../worker';
import { FaultInjectionModule } from './fault-injection.module';

/**
 * Test-only worker entry: `node dist/out/apps/api/src/faults/fault-worker.js <fault point>` is the
 * production worker plus {@link FaultInjectionModule}, which SIGKILLs the process when a job first
 * reaches the fault point (`dispatch.assignments-written`, `escalation.committed`). Started by the
 * e2e fault specs through `startWorker(server, env, { killAt })`; no production script starts it.
 */
startWorkerProcess([FaultInjectionModule.killAt(process.argv[2] ?? '')]);
