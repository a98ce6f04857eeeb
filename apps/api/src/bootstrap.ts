import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import serveStatic from 'serve-static';
import { Logger } from 'nestjs-pino';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CityImportSummary, ImportSummary, createDataSource, importCity, profileDataFile, readCityProfile } from '@cad/db';
import { loadRoadNetwork } from './routing/routing.providers';
import { AppModule } from './app.module';
import { fitLiveTravelModel } from './routing/travel-model.service';
import { installPlatform } from './platform/install';
import { processLogger, ProcessRole, quietStartupLogger } from './platform/logging/logger';
import { CAP_XML_TYPES, isCapXmlPost, PUBLIC_ALERT_ROUTES } from './alerts/alert-routes';
import { PUBLIC_MAP_ROUTES } from './jurisdictions/jurisdictions.controller';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { UnavailableFilter } from './common/unavailable.filter';
import { refuseUnpairedSurrogates } from './common/unpaired-surrogates';
import { VALIDATION_OPTIONS } from './common/validation';
import { RedisIoAdapter } from './events/redis-io.adapter';
import { OutagesService } from './outages/outages.service';
import { AppConfig } from './config/config';
import { prepareAccounts } from './auth/first-start';
import { recordConfigurationChange } from './auth/config-audit';
import { resolveServices, Services } from './infra/local-services';

/**
 * Resolves Postgres and Redis (explicit URLs, local servers, or embedded/child ones), runs pending
 * migrations, imports the data set when the record is empty (or when `forceImport`), and prepares the
 * accounts (demo accounts on a demo record; otherwise the first commander, with a one-time
 * first-password token printed when `firstPasswordToken`: the API's start), and records a change of the
 * settings on the audit trail (not with `recordConfiguration: false`: a drill or benchmark host).
 * @returns the services, with `config.DATABASE_URL` / `REDIS_URL` filled in
 */
export async function prepare(
  config: AppConfig,
  opts: { dbName?: string; forceImport?: boolean; log?: (m: string) => void; announce?: (m: string) => void; firstPasswordToken?: boolean; recordConfiguration?: boolean } = {},
): Promise<{ services: Services; imported: ImportSummary | null }> {
  const log = opts.log ?? ((m: string) => processLogger('api', config.LOG_LEVEL).info(m));
  const services = await resolveServices({
    databaseUrl: config.DATABASE_URL,
    redisUrl: config.REDIS_URL,
    dbName: opts.dbName ?? 'cad',
    stateDir: path.resolve('.cad'),
    log,
  });
  services.notes.forEach((n) => log(n));
  config.DATABASE_URL = services.databaseUrl;
  config.REDIS_URL = services.redisUrl;
  const ds = createDataSource(services.databaseUrl);
  await ds.initialize();
  let imported: ImportSummary | null = null;
  try {
    const ran = await ds.runMigrations({ transaction: 'each' });
    if (ran.length) log(`migrations applied: ${ran.map((m) => m.name).join(', ')}`);
    const [{ n }] = await ds.query('SELECT COUNT(*)::int AS n FROM jurisdiction');
    if (n === 0 || opts.forceImport) {
      const profile = readCityProfile(config.CITY_PROFILE);
      profile.timeZone = config.DATA_TIME_ZONE;
      profile.boundaries.streetMinAreaM2 = config.STREET_MIN_AREA_M2;
      // The roads file is read by routing, not the import: say which one is missing before importing.
      profileDataFile(profile, config.DATA_DIR, config.ROADS_FILE, 'roads.file (ROADS_FILE)');
      imported = await importCity(ds, profile, {
        dataDir: config.DATA_DIR,
        boundaryToleranceM: config.BOUNDARY_TOLERANCE_M,
        files: {
          calls: config.CALLS_FILE,
          districts: config.DISTRICTS_FILE,
          streets: config.NEIGHBORHOODS_FILE,
          stations: config.STATIONS_FILE ? path.resolve(config.STATIONS_FILE) : undefined,
        },
      });
      const pa = imported.placement;
      if (pa) {
        log(
          `placement against the data's own columns (${pa.calls} calls): district ${(pa.districtAgreement * 100).toFixed(1)} %, ` +
            `neighborhood ${(pa.streetAgreement * 100).toFixed(1)} %, beyond ${config.BOUNDARY_TOLERANCE_M} m of a line ${(pa.agreementBeyondTolerance * 100).toFixed(1)} % of ${pa.callsBeyondTolerance}`,
        );
      }
      log(
        `imported ${imported.districts} districts, ${imported.streets} streets, ${imported.stations} stations, ` +
          `${imported.units} units, ${imported.plans} response plans (${imported.badRows.length} unreadable rows)`,
      );
      const oos = (imported as CityImportSummary).notDispatchable;
      if (oos.length) log(`units imported out of service: ${oos.map((u) => `${u.unitId} (${u.unitType}: ${u.reason.split(':')[0]})`).join(', ')}`);
      const left = (imported as CityImportSummary).leftAsIs ?? [];
      if (left.length) log(`units the import left as they were: ${left.map((u) => `${u.unitId} (${u.reason})`).join(', ')}`);
      // Issue 20: the travel model is refitted on the imported calls at every import (a city whose calls
      // cannot be fitted keeps the default model, said here).
      try {
        const network = loadRoadNetwork(config);
        const travel = await fitLiveTravelModel(ds, config, network);
        log(`travel model refitted on ${travel.sample.responses} responses (nested leave-one-day-out median error ${(travel.crossValidation.medianAbsPctError * 100).toFixed(1)} %)`);
      } catch (e) {
        log(`travel model not refitted (${(e as Error).message}): ETAs use the default model`);
      }
    }
    const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST;
    await prepareAccounts(ds, config, log, { issueToken: opts.firstPasswordToken ?? false, url: `http://${host}:${config.PORT}`, announce: opts.announce });
    // The API's and worker's settings only: a drill or benchmark host runs with its own (no demo crews...), not a change of the city's.
    if (opts.recordConfiguration !== false) {
      const { changed, first } = await recordConfigurationChange(ds, config);
      if (changed.length && !first) log(`configuration changed since the last start (on the audit trail): ${changed.join(', ')}`);
    }
  } finally {
    await ds.destroy();
  }
  return { services, imported };
}

/** Keys that could reach an object's prototype; refused in every JSON body. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON reviver that refuses prototype keys, which class-validator's whitelist cannot see (class-transformer
 * drops them before validation). Throwing here makes the body parser answer 400 with this message.
 * @throws SyntaxError naming the key
 */
export function rejectPrototypeKeys(key: string, value: unknown): unknown {
  if (PROTOTYPE_KEYS.has(key)) throw new SyntaxError(`property ${key} is not allowed`);
  return value;
}

/** Deepest nesting of arrays and objects a JSON body may have (no API needs more than a few levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * body-parser `verify` hook: refuses a JSON body nested deeper than {@link MAX_JSON_DEPTH} before it is
 * parsed (a deeply nested body would exhaust the parser's stack). One pass over the bytes, skipping
 * strings and their escapes.
 * @throws Error with `status` 400 naming the limit
 */
export function rejectDeepJson(_req: unknown, _res: unknown, buf: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw Object.assign(new Error(`body is nested deeper than ${MAX_JSON_DEPTH} levels`), { status: 400 });
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/**
 * Express middleware: a request that carries a body must send it as JSON (`Content-Type:
 * application/json`; a CAP message posted to the alert inbox as XML excepted); anything else answers
 * `415` saying so, instead of being read as an empty body.
 */
export function requireJsonBody(req: { method: string; originalUrl?: string; headers: Record<string, string | string[] | undefined> }, res: { status(n: number): { json(b: unknown): void } }, next: () => void): void {
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  const type = String(req.headers['content-type'] ?? '');
  if (hasBody && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) && !/^application\/([\w.+-]+\+)?json\b/i.test(type) && !isCapXmlPost(req.originalUrl, type)) {
    res.status(415).json({ statusCode: 415, error: 'Unsupported Media Type', message: `the body must be JSON (Content-Type: application/json), not ${type || 'unspecified'}` });
    return;
  }
  next();
}

/** Paths the API, socket.io, the queue dashboard and metrics answer: never the console's files. */
const NOT_CONSOLE_FILES = /^\/(api|socket\.io|admin|metrics)(\/|$)/i;

/**
 * Whether a request path belongs to the API (or socket.io, the queue dashboard, metrics) and must not be
 * looked up among the console's files: tested as serve-static would read it, percent-decoded (an
 * undecodable path is left as sent) with repeated slashes taken as one (`//api/…`, `/%61pi/…`).
 */
function notConsoleFile(reqPath: string): boolean {
  let p = reqPath;
  try {
    p = decodeURIComponent(reqPath);
  } catch {
    // malformed escapes: serve-static refuses them itself
  }
  return NOT_CONSOLE_FILES.test(p.replace(/\/{2,}/g, '/'));
}

/**
 * Creates the HTTP + socket.io application: global validation (whitelist, forbid unknown fields,
 * transform), unpaired UTF-16 surrogates in any body or query refused naming the field, domain error mapping, the console's static files at `/` (`/responder` is `responder.html`,
 * `/drills/<id>/report` is `drill-report.html`),
 * the API under `/api`. `role` names the process in its logs (`drill`: on stderr).
 */
export async function createApp(config: AppConfig, role: ProcessRole = 'api'): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, role), { bufferLogs: true, bodyParser: true });
  app.useLogger(quietStartupLogger(app.get(Logger)));
  const io = new RedisIoAdapter(app, config.REDIS_URL!, config.REDIS_PREFIX);
  app.useWebSocketAdapter(io);
  // Security headers (CSP allows the console's own scripts, OSM-free map tiles are not used).
  // Every answered request refreshes this API process's heartbeat (at most once an interval): a busy API is not an outage.
  const outages = app.get(OutagesService);
  app.use((_req: import('express').Request, res: import('express').Response, next: () => void) => {
    res.once('finish', () => outages.answered(res.statusCode));
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        // No `upgrade-insecure-requests` (helmet's default): served over plain HTTP under any hostname
        // but localhost, the browser would upgrade every /assets/* request to https and the console and
        // responder page would stay blank. TLS, HSTS and upgrading belong to the reverse proxy (docs/operations.md).
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.use('/api', requireJsonBody);
  app.useBodyParser('json', { limit: '256kb', reviver: rejectPrototypeKeys, verify: rejectDeepJson });
  app.useBodyParser('text', { type: CAP_XML_TYPES, limit: '1mb' });
  // After parsing, before any route: half an emoji anywhere in a body or query answers 400 naming the field.
  app.use(refuseUnpairedSurrogates);
  app.setGlobalPrefix('api', { exclude: [...PUBLIC_ALERT_ROUTES, ...PUBLIC_MAP_ROUTES] });
  app.useGlobalPipes(
    new ValidationPipe(VALIDATION_OPTIONS),
  );
  // Filters run last-registered first: domain errors map to their status, then dependency outages to 503.
  app.useGlobalFilters(new UnavailableFilter(app.getHttpAdapter()), new DomainExceptionFilter());
  installPlatform(app, config);
  const consoleDir = path.resolve(config.CONSOLE_DIR);
  if (fs.existsSync(consoleDir)) {
    // A drill's after-action report has its own URL: the console's report page reads the run id from it.
    const reportPage = path.join(consoleDir, 'drill-report.html');
    (app.getHttpAdapter().getInstance() as import('express').Express).get('/drills/:id/report', (_req, res) => res.sendFile(reportPage));
    // Not for the API's own paths: serve-static looks each GET up on disk first (two stats with the
    // `.html` extension), a tenth of a GET's CPU in the API's profile (issue 19), for a file never there.
    const files = serveStatic(consoleDir, { index: 'index.html', extensions: ['html'] });
    app.use((req: import('express').Request, res: import('express').Response, next: () => void) => (notConsoleFile(req.path) ? next() : files(req, res, next)));
  }
  app.enableShutdownHooks();
  // Keep idle keep-alive connections longer than clients and proxies do (undici: 4 s, AWS ALB: 60 s), so
  // the server never closes a connection a client is about to reuse ("other side closed").
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return app;
}
