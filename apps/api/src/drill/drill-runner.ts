import 'reflect-metadata';
import { NestExpressApplication } from '@nestjs/platform-express';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { createApp, prepare } from '../bootstrap';
import { AppConfig, loadConfig } from '../config/config';
import { Services } from '../infra/local-services';
import { DrillReportService } from './drill-report.service';
import { DrillOptions, DrillRunView } from './drill-run';
import { DrillService } from './drill.service';
import { DrillReport, reportHtml } from './report';
import { processLogger } from '../platform/logging/logger';

/** The API started in-process for the drill CLI and the benchmark, on the same services discovery as `npm start`. */
export interface DrillHost {
  app: NestExpressApplication;
  config: AppConfig;
  drills: DrillService;
  reports: DrillReportService;
  ds: DataSource;
  close(): Promise<void>;
}

/**
 * Finds or starts Postgres and Redis as `npm start` does, migrates and imports when the record is
 * empty, and starts the API (HTTP on a free local port, in-process workers) without a start-up drill.
 * Its queues use their own Redis prefix, so a running `npm start` does not take its jobs.
 * @param dbName database name (`cad` like `npm start`)
 */
export async function startDrillHost(dbName = 'cad', log?: (m: string) => void): Promise<DrillHost> {
  const config = loadConfig({ ...process.env, DRILL_DATE: '', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', REDIS_PREFIX: process.env.REDIS_PREFIX ?? `cad-drill-${process.pid}` });
  const logger = processLogger('drill', config.LOG_LEVEL, 2);
  const { services }: { services: Services } = await prepare(config, { dbName, log: log ?? ((m) => logger.info(m)), recordConfiguration: false });
  const app = await createApp(config, 'drill');
  app.useLogger(['error', 'warn']);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    config,
    drills: app.get(DrillService),
    reports: app.get(DrillReportService),
    ds: app.get(DataSource),
    close: async () => {
      await app.close();
      await services.stop();
    },
  };
}

/**
 * Runs one drill to its end, reporting progress every `everyMs`: a line in words, and the run's view
 * (`progress` 0..1, `simTime`, `posted`/`calls`, `activeAssignments`, `wallSeconds`) for a progress bar.
 * @returns the finished run
 */
export async function runDrill(host: DrillHost, opts: DrillOptions, progress: (line: string, view?: DrillRunView) => void, everyMs = 2000): Promise<DrillRunView> {
  const started = await host.drills.start(opts);
  progress(`drill ${started.id}: ${started.calls} calls, ${opts.day}${opts.toDay ? `..${opts.toDay}` : ''}, policy ${started.policy}, seed ${started.seed}, speed ${started.speed}`);
  progress(
    `travel model: ${started.calibration.n} responses, nested leave-one-day-out RMSE ${started.calibration.rmseS.toFixed(0)} s, median error ${(started.calibration.medianAbsPctError * 100).toFixed(1)} % ` +
      `(one-factor fit: ${started.calibration.baselineRmseS.toFixed(0)} s, ${(started.calibration.baselineMedianAbsPctError * 100).toFixed(1)} %)`,
  );
  const timer = setInterval(() => {
    const v = host.drills.get(started.id).view();
    progress(`  ${v.simTime}  ${(v.progress * 100).toFixed(0).padStart(3)} %  calls ${v.posted}/${v.calls}  units busy ${v.activeAssignments}  wall ${v.wallSeconds.toFixed(0)} s`, v);
  }, everyMs);
  try {
    return await host.drills.whenDone(started.id);
  } finally {
    clearInterval(timer);
  }
}

/** Writes a run's report as `<out>/<name>.json` and `.html`; returns the two paths. */
export async function writeReport(host: DrillHost, id: string, out: string, compareWith?: string, name = id): Promise<string[]> {
  return writeFiles(await host.reports.report(id, compareWith), out, name);
}

/**
 * Writes the policy comparison of runs of the same calls (`DrillReportService.comparePolicies`) as
 * `<out>/<name>.json` and `.html`; returns the two paths.
 */
export async function writePolicyComparison(host: DrillHost, ids: readonly string[], out: string, name: string): Promise<string[]> {
  return writeFiles(await host.reports.comparePolicies(ids), out, name);
}

function writeFiles(report: DrillReport, out: string, name: string): string[] {
  fs.mkdirSync(out, { recursive: true });
  const json = path.join(out, `${name}.json`);
  const html = path.join(out, `${name}.html`);
  fs.writeFileSync(json, JSON.stringify(report, null, 2));
  fs.writeFileSync(html, reportHtml(report));
  return [json, html];
}
