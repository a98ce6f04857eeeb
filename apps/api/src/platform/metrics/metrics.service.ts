import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { Job } from 'bullmq';
import { IntakeStallService } from '../../events/intake-stall.service';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { RealtimeGateway } from '../../events/realtime.gateway';
import { QueueName } from '../../queues/queues.constants';
import { QueuesService } from '../../queues/queues.service';
import { EventCounter } from './event-counter.subscriber';

/** Queue states reported as depth (`cad_queue_jobs`). */
const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/** Buckets for latencies of requests and jobs, seconds (5 ms to 30 s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The process's Prometheus series (prom-client, one registry per application so several apps in one
 * process stay apart). Collected at scrape: queue depth, sockets connected, event relay lag. Observed as
 * work happens: queue wait and job duration (this process's processors), call accept latency (this
 * process's `POST /api/calls`), dispatch decisions and escalations (committed by this process).
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();
  /** `POST /api/calls` answered, seconds, by HTTP status. */
  readonly acceptLatency = new Histogram({ name: 'cad_call_accept_seconds', help: 'Time to answer POST /api/calls (stored and queued), seconds', labelNames: ['status'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly queueWait = new Histogram({ name: 'cad_queue_wait_seconds', help: 'Time a job waited in its queue before a processor of this process took it (delay excluded), seconds', labelNames: ['queue'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly jobDuration = new Histogram({ name: 'cad_job_duration_seconds', help: 'Time a processor of this process took on one job attempt, seconds', labelNames: ['queue', 'outcome'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly dispatchDecisions = new Counter({ name: 'cad_dispatch_decisions_total', help: 'Units assigned to incidents (committed), by how they were chosen and the commanding tier', labelNames: ['kind', 'tier'], registers: [this.registry] });
  readonly escalations = new Counter({ name: 'cad_escalations_total', help: 'Command moves between tiers (committed), by direction and reason', labelNames: ['direction', 'reason', 'to_tier'], registers: [this.registry] });

  constructor(
    private readonly queues: QueuesService,
    private readonly ds: DataSource,
    @Optional() private readonly gateway?: RealtimeGateway,
    @Optional() private readonly stall?: IntakeStallService,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cad_' });
    const queueService = this.queues;
    new Gauge({
      name: 'cad_queue_jobs',
      help: 'Jobs in each queue by state (the whole system, read from Redis at scrape)',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const counts = await Promise.all(queueService.list().map(async (q) => [q.name, await q.getJobCounts(...QUEUE_STATES)] as const)).catch(() => []);
        for (const [queue, c] of counts) for (const state of QUEUE_STATES) this.set({ queue, state }, c[state] ?? 0);
      },
    });
    new Gauge({
      name: 'cad_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting in each queue (0 when none), seconds',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const q of queueService.list()) {
          // Oldest first in each list; a prioritized job's age is its wait too.
          const firsts = await Promise.all((['waiting', 'prioritized'] as const).map((t) => q.getJobs([t], 0, 0, true).catch(() => [] as Job[])));
          const oldest = Math.min(...firsts.flat().map((j) => j.timestamp));
          this.set({ queue: q.name }, Number.isFinite(oldest) ? Math.max(0, (Date.now() - oldest) / 1000) : 0);
        }
      },
    });
    const relay = this.gateway;
    new Gauge({
      name: 'cad_sockets_connected',
      help: 'socket.io clients connected to this process',
      registers: [this.registry],
      collect() {
        this.set(relay?.server?.sockets?.sockets?.size ?? 0);
      },
    });
    const record = this.ds;
    const relayLag = async () => {
      const relayed = relay?.server ? relay.relayedSeq : null;
      if (relayed === null || relayed === undefined) return { events: 0, seconds: 0 };
      const [row] = await record.query(`SELECT min(recorded_at) AS oldest, count(*)::int AS n FROM incident_event WHERE seq > $1`, [relayed]);
      return { events: Number(row?.n ?? 0), seconds: row?.oldest ? Math.max(0, (Date.now() - new Date(row.oldest).getTime()) / 1000) : 0 };
    };
    new Gauge({
      name: 'cad_event_relay_lag_seconds',
      help: 'Age of the oldest committed event this process has not relayed yet (0 when caught up), seconds',
      registers: [this.registry],
      async collect() {
        this.set((await relayLag().catch(() => ({ seconds: 0 }))).seconds);
      },
    });
    const stallDetector = this.stall;
    new Gauge({
      name: 'cad_intake_stage_oldest_seconds',
      help: 'Age of the oldest live item waiting at each stage of intake (intake: calls not placed; dispatch: incidents with no dispatch decision; event-log: events without a position), seconds; readiness is degraded past INTAKE_STALL_S',
      labelNames: ['stage'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const m = await stallDetector?.measure().catch(() => null);
        if (m) for (const [stage, age] of Object.entries(m.ages)) this.set({ stage }, age);
      },
    });
    new Gauge({
      name: 'cad_event_relay_lag_events',
      help: 'Committed events this process has not relayed yet',
      registers: [this.registry],
      async collect() {
        this.set((await relayLag().catch(() => ({ events: 0 }))).events);
      },
    });
  }

  onModuleInit(): void {
    this.queues.onJobFinished((queue, job, outcome) => this.observeJob(queue, job, outcome));
    this.ds.subscribers.push(new EventCounter(this));
  }

  /** Records one finished job attempt: its wait in the queue (first attempt only) and its run time. */
  observeJob(queue: QueueName, job: Job, outcome: 'completed' | 'failed'): void {
    if (job.processedOn && job.finishedOn) this.jobDuration.observe({ queue, outcome }, Math.max(0, job.finishedOn - job.processedOn) / 1000);
    if (job.processedOn && job.attemptsMade <= 1) this.queueWait.observe({ queue }, Math.max(0, job.processedOn - job.timestamp - (job.opts.delay ?? 0)) / 1000);
  }

  /** The exposition text (Prometheus text format 0.0.4) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
