import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import * as path from 'node:path';
import { profileSettings } from './city-profile-settings';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const toNum = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Typed, validated configuration, read once from the environment at start-up. Nothing else reads
 * `process.env`. Paths are resolved against the working directory.
 */
export class AppConfig {
  /** PostgreSQL connection string; unset means "find or start one" (see `local-services.ts`). */
  @IsOptional() @IsString() DATABASE_URL?: string;
  /** Redis connection string; unset means "find or start one". */
  @IsOptional() @IsString() REDIS_URL?: string;
  /** Key prefix for every BullMQ queue, so runs sharing one Redis stay apart. */
  @IsString() @Matches(/^[A-Za-z0-9_:.-]+$/) REDIS_PREFIX = 'cad';
  @Transform(toNum) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsString() HOST = '127.0.0.1';
  /** Folder holding the city's data files (the profile's files are relative to it), read as they are. */
  @IsString() DATA_DIR = '../shared/data/san-francisco';
  /**
   * The city profile (YAML, see `db/cities/`): boundary files and their property names, roads, calls,
   * fleet, plans, agencies' rules. When set, it also gives CALLS_FILE, ROADS_FILE, DISTRICTS_FILE,
   * NEIGHBORHOODS_FILE, STATIONS_FILE, DATA_TIME_ZONE and STREET_MIN_AREA_M2 unless those are set too.
   */
  @IsString() CITY_PROFILE = 'db/cities/san-francisco.yaml';
  @IsString() CALLS_FILE = 'sf_fire_calls_2016-12-31_to_2017-01-07_north_bbox.csv';
  @IsString() ROADS_FILE = 'sf_north_roads.osm';
  @IsString() DISTRICTS_FILE = 'sf_supervisor_districts_2012.geojson';
  @IsString() NEIGHBORHOODS_FILE = 'sf_analysis_neighborhoods.geojson';
  /** Optional CSV `station,lat,lon[,name]` overriding estimated station locations. */
  @IsOptional() @IsString() STATIONS_FILE?: string;
  /** IANA zone of the data set's local times. */
  @IsString() DATA_TIME_ZONE = 'America/Los_Angeles';
  /** Street pieces (neighborhood ∩ district) smaller than this are slivers and dropped, in m². */
  @Transform(toNum) @IsNumber() @Min(0) STREET_MIN_AREA_M2 = 20000;
  /**
   * A point within this many metres of a boundary line is placed by the documented tie-break (the
   * polygon that holds it wins, flagged near the boundary; a dropped sliver stays in its district) and
   * not flagged outside the city; see `JurisdictionIndex` (issue 20).
   */
  @Transform(toNum) @IsNumber() @Min(0) @Max(1000) BOUNDARY_TOLERANCE_M = 10;
  /** A call farther than this outside every street is refused (422) rather than sent to the nearest, metres. */
  @Transform(toNum) @IsNumber() @Min(0) MAX_OUTSIDE_METRES = 1000;
  /** Folder of the routing engine's preprocessed-graph cache. */
  @IsString() ROUTING_CACHE_DIR = '.cad/routing-cache';
  /** A task not acknowledged within this many seconds escalates its incident one tier up. */
  @Transform(toNum) @IsNumber() @Min(1) ACK_TIMEOUT_S = 60;
  /**
   * What the first acknowledgement timeout does. `alert-first` (default): the dispatcher is alerted
   * (`assignment.ack_overdue`: re-page, replace or take out of service), and only a second timeout of
   * the same length replaces the unit and escalates the incident. `replace`: the first timeout
   * replaces and escalates at once (no alert). The timeout itself is per agency (city profile).
   */
  @IsIn(['alert-first', 'replace']) ACK_POLICY: 'alert-first' | 'replace' = 'alert-first';
  /**
   * Silent-fleet guard: once this many units are out of service because they did not acknowledge
   * (taken out by the timer, not yet back), a further silent task is kept on its unit and its incident
   * is held for a dispatcher instead (the phones are probably down: reach crews by radio).
   */
  @Transform(toNum) @IsNumber() @Min(0) SILENT_UNIT_LIMIT = 5;
  /** An incident left without any unit for this many seconds escalates one tier up. */
  @Transform(toNum) @IsNumber() @Min(1) PENDING_TIMEOUT_S = 60;
  /** Seconds between dispatch tries for a live incident still waiting for units at the top tier (no tier left to escalate to). */
  @Transform(toNum) @IsNumber() @Min(1) WAITING_RETRY_S = 30;
  /** Travel-time target for the first engine, seconds (NFPA 1710 §4.1.2.1: 240). */
  @Transform(toNum) @IsNumber() @Min(1) FIRST_ENGINE_TRAVEL_S = 240;
  /** Travel-time target for the full first alarm, seconds (NFPA 1710 §4.1.2.1: 480). */
  @Transform(toNum) @IsNumber() @Min(1) FULL_ALARM_TRAVEL_S = 480;
  /** A call within this distance of an open incident of the same kind is linked to it, metres. */
  @Transform(toNum) @IsNumber() @Min(0) @Max(1000) DUPLICATE_RADIUS_M = 150;
  /** ... and within this time of it, seconds. */
  @Transform(toNum) @IsNumber() @Min(0) DUPLICATE_WINDOW_S = 600;
  /**
   * Most incidents one dispatch round solves at once (the most pressing first; the rest go to the next
   * round, back to back): a count, not a time, so a drill replayed twice solves the same rounds.
   */
  @Transform(toNum) @IsInt() @Min(1) @Max(100000) DISPATCH_ROUND_MAX_INCIDENTS = 200;
  /** Priority ageing of dispatch rounds: a waiting P2 or P3 moves one class up per this many seconds (see `roundClass`). */
  @Transform(toNum) @IsNumber() @Min(1) DISPATCH_ROUND_AGEING_S = 600;
  /**
   * Move-ups as a policy (issue 19 part 5, `libs/domain/src/move-up-policy.ts`). `recommend` (default): the
   * coverage box only recommends moves. `apply`: CAD proposes moves that pass the policy and carries one out
   * once the dispatcher confirmed it (or MOVE_UP_CONFIRM_TIMEOUT_S passed with nobody refusing), the owning
   * district consented and the crew acknowledged. The city profile's `moveUps` mapping sets these too.
   */
  @IsIn(['recommend', 'apply']) MOVE_UP_MODE: 'recommend' | 'apply' = 'recommend';
  /** Seconds after which a proposed move nobody refused counts as confirmed by the dispatcher; 0: the dispatcher must confirm. */
  @Transform(toNum) @IsNumber() @Min(0) @Max(86400) MOVE_UP_CONFIRM_TIMEOUT_S = 0;
  /** A unit that cleared an incident less than this ago is never moved (crew rest, restocking), seconds. */
  @Transform(toNum) @IsNumber() @Min(0) @Max(86400) MOVE_UP_MIN_SINCE_CLEARED_S = 900;
  /** Most moves of one unit in any hour. */
  @Transform(toNum) @IsInt() @Min(0) @Max(100) MOVE_UP_MAX_PER_UNIT_PER_HOUR = 1;
  /** Most moves in the city (per world) in any hour. */
  @Transform(toNum) @IsInt() @Min(0) @Max(1000) MOVE_UP_MAX_PER_HOUR = 6;
  /** Least net gain of a move: demand share it covers where the unit goes minus the share its departure uncovers (0..1). */
  @Transform(toNum) @IsNumber() @Min(0) @Max(1) MOVE_UP_MIN_NET_GAIN = 0.01;
  /**
   * Under `apply`, how often the worker lets confirm timeouts run out and proposes the recommended moves
   * that pass the policy (live world; also a few seconds after units are dispatched), seconds; 0: never by
   * itself (a drill, or a dispatcher by hand, proposes).
   */
  @Transform(toNum) @IsNumber() @Min(0) MOVE_UP_SWEEP_S = 60;
  /**
   * A unit on a `moving` move-up has arrived when a trusted AVL fix (accepted by the track, taken after
   * it set off) puts it this close to its new station, accuracy included (distance + reported accuracy),
   * metres; 0: only the crew (or a dispatcher) reports the arrival. 75 m: a station's apron and forecourt
   * (about 30-50 m across) plus a phone's urban GPS error (4.9 m at 95 % under open sky per GPS.gov,
   * "GPS Accuracy", several times that between buildings).
   */
  @Transform(toNum) @IsNumber() @Min(0) @Max(1000) MOVE_UP_ARRIVAL_RADIUS_M = 75;
  /** How often the reconciler looks for deadlines or dispatches the queues missed, seconds. */
  @Transform(toNum) @IsNumber() @Min(1) RECONCILE_INTERVAL_S = 5;
  /** How often each API and worker process writes its heartbeat (the record of when CAD was up), seconds. */
  @Transform(toNum) @IsNumber() @Min(0.2) OUTAGE_HEARTBEAT_S = 5;
  /** No API heartbeat for longer than this is an outage (crews and consoles could not reach CAD), seconds. */
  @Transform(toNum) @IsNumber() @Min(0.5) OUTAGE_GAP_S = 15;
  /**
   * An acknowledgement deadline that fell due during an outage (or within this time after it) waits
   * this long after the API is back before it fires, so that crews' stamped acknowledgements queued
   * on their phones arrive first, seconds. Never delays an incident's escalation for want of a unit.
   */
  @Transform(toNum) @IsNumber() @Min(0) OUTAGE_GRACE_S = 30;
  /**
   * Intake-stall alarm: readiness reports `degraded` naming the stage when the oldest live call not yet
   * placed, the oldest placed incident with no dispatch decision, or the oldest committed event without
   * a log position is older than this, seconds.
   */
  @Transform(toNum) @IsNumber() @Min(1) INTAKE_STALL_S = 60;
  /** BullMQ job lock, milliseconds: a job whose worker died is retried after about this long. */
  @Transform(toNum) @IsNumber() @Min(1000) JOB_LOCK_MS = 30000;
  /** Secret that signs sign-in tokens (HS256). Unset: a random one kept in the record, shared by every process. */
  @IsOptional() @IsString() JWT_SECRET?: string;
  /** Lifetime of a sign-in token, seconds (default 12 h: one shift). */
  @Transform(toNum) @IsInt() @Min(60) TOKEN_TTL_S = 43200;
  /**
   * Seed one demo account per post (README lists them, password `DEMO_PASSWORD`) when the record has
   * none, and mark the record as a demo for good. Off by default; `npm start` turns it on.
   */
  @Transform(toBool) @IsBoolean() SEED_DEMO_USERS = false;
  /** Password of the seeded demo accounts. */
  @IsString() DEMO_PASSWORD = 'dispatch-demo';
  /**
   * Simulated crews answer the LIVE tasks of a demo record that nobody answers (no phone signed in for
   * the unit): acknowledge, en route after turnout, on scene at the ETA, clear after `DEMO_CREW_ON_SCENE_S`.
   * Only on a record created as a demo (`SEED_DEMO_USERS`); ignored, said loudly, on any other. Off by
   * default; `npm start` turns it on so a demo's live fleet does not wear down to out of service.
   */
  @Transform(toBool) @IsBoolean() DEMO_CREWS = false;
  /** A demo crew acknowledges this long after the dispatch, seconds. */
  @Transform(toNum) @IsNumber() @Min(0) DEMO_CREW_ACK_S = 8;
  /** A demo crew stays on scene this long before clearing, seconds. */
  @Transform(toNum) @IsNumber() @Min(0) DEMO_CREW_ON_SCENE_S = 600;
  /** How often the demo crews look at their tasks, seconds. */
  @Transform(toNum) @IsNumber() @Min(0.1) DEMO_CREW_TICK_S = 5;
  /** Sign-in attempts allowed per client address per minute. */
  @Transform(toNum) @IsInt() @Min(1) SIGNIN_RATE_PER_MIN = 20;
  /** Sign-in attempts allowed per client address per minute whatever the username (one address trying many accounts). */
  @Transform(toNum) @IsInt() @Min(1) SIGNIN_RATE_PER_ADDRESS_PER_MIN = 100;
  /** Calls for service accepted per client address per second before `429`. */
  @Transform(toNum) @IsInt() @Min(1) INTAKE_RATE_PER_S = 2000;
  /**
   * AVL position fixes accepted per unit and client address per second (`POST /api/units/:id/position`)
   * before `429`: a phone reports about once a second; a burst beyond this is a fault or an attack.
   */
  @Transform(toNum) @IsInt() @Min(1) AVL_FIX_RATE_PER_S = 10;
  /** Local date (YYYY-MM-DD, data time zone) to replay as a drill at start-up; empty for none. */
  @IsOptional() @Matches(/^(\d{4}-\d{2}-\d{2})?$/) DRILL_DATE?: string;
  /** Drill speed factor: simulated seconds per real second. */
  @Transform(toNum) @IsNumber() @Min(0.1) @Max(100000) DRILL_SPEED = 60;
  /** A jump implying more than this speed from a unit's last accepted AVL fix is flagged and not used, km/h. */
  @Transform(toNum) @IsNumber() @Min(1) AVL_MAX_SPEED_KMH = 200;
  /** This many fixes in a row that agree with each other re-establish a track that jumped (one bad fix never locks out the good ones). */
  @Transform(toNum) @IsInt() @Min(1) @Max(20) AVL_TRACK_FIXES = 3;
  /** Seconds a run of agreeing fixes must span before it re-establishes a track (a quick burst of bad fixes never does). */
  @Transform(toNum) @IsNumber() @Min(0) AVL_REESTABLISH_S = 20;
  /**
   * Seconds of a unit's recent fixes a new fix is judged against, besides its current fix: it must be
   * reachable at `AVL_MAX_SPEED_KMH` (less both accuracy radii) from each accepted fix of this window, so
   * steps each within the accuracy slack cannot add up to a jump.
   */
  @Transform(toNum) @IsNumber() @Min(1) AVL_TRACK_WINDOW_S = 60;
  /** Metres; a fix claiming a coarser accuracy is kept in the history and never moves the unit. */
  @Transform(toNum) @IsNumber() @Min(1) AVL_MAX_ACCURACY_M = 100;
  /** A unit whose current fix is older than this is ranked from its station for "closest", seconds. */
  @Transform(toNum) @IsNumber() @Min(1) AVL_STALE_S = 120;
  /** AVL history (every fix) is kept this long, hours. */
  @Transform(toNum) @IsNumber() @Min(1) AVL_RETENTION_H = 72;
  /** A device clock offset beyond this is shown as clock skew on the console, seconds. */
  @Transform(toNum) @IsNumber() @Min(1) CLOCK_SKEW_WARN_S = 300;
  /** A call's typed address farther than this (plus the device's accuracy) from its device location flags the incident `location_unconfirmed`, metres. */
  @Transform(toNum) @IsNumber() @Min(0) LOCATION_MISMATCH_M = 300;
  /**
   * On-scene welfare: a personnel accountability report (PAR) falls due this long after the first unit
   * arrives on scene, and again this long after each PAR, seconds. 20 min is a common elapsed-time
   * interval; no standard figure is assumed: set the agency's own.
   */
  @Transform(toNum) @IsNumber() @Min(1) PAR_INTERVAL_S = 1200;
  /** Premise and hazard notes within this distance of an incident's point are shown on its card, metres. */
  @Transform(toNum) @IsNumber() @Min(1) @Max(500) PREMISE_NOTE_RADIUS_M = 30;
  /** A LOCATION CHANGED alert not acknowledged by its crew within this many seconds alerts the dispatcher. */
  @Transform(toNum) @IsNumber() @Min(1) LOCATION_ACK_S = 60;
  /** Run the BullMQ processors inside the API process (the worker entry point runs them alone). */
  @Transform(toBool) @IsBoolean() RUN_WORKERS = true;
  /** Folder of the OASIS CAP schemas (`CAP-v1.2.xsd`, `CAP-v1.1.xsd`), read as they are (like DATA_DIR); unset with DATA_DIR set: `DATA_DIR/../../standards/cap`. */
  @IsString() CAP_SCHEMA_DIR = '../shared/standards/cap';
  /** CAP `sender` of the alerts this city issues (no spaces or commas). */
  @IsString() @Matches(/^[^\s,<&]+$/) ALERT_SENDER = 'city-cad';
  /** CAP `senderName` shown to residents. */
  @IsString() ALERT_SENDER_NAME = 'City emergency command';
  /** An Actual alert needs a second city commander to approve it (author ≠ approver). Off: the author issues alone (see README for the risk). */
  @Transform(toBool) @IsBoolean() ALERT_TWO_PERSON = true;
  /** Other agencies whose CAP messages are accepted: their CAP `sender` values, comma-separated (none by default). */
  @IsString() ALERT_TRUSTED_SENDERS = '';
  /**
   * Senders whose CAP messages must carry an XML-DSig signature made with their key: comma-separated
   * `sender=path` pairs, the path to the sender's PEM public key or X.509 certificate (none by default:
   * trust then rests on the sender list, and a signed message is accepted as `unverified`).
   */
  @IsString() ALERT_SENDER_KEYS = '';
  /** Other agencies' CAP or Atom feeds pulled by the worker, comma-separated URLs (none by default). */
  @IsString() ALERT_FEEDS = '';
  /** How often the feeds are pulled, seconds. */
  @Transform(toNum) @IsNumber() @Min(5) ALERT_FEED_POLL_S = 60;
  /** A received Actual alert of one of these severities, urgency Immediate or Expected, whose area reaches the city opens an incident. */
  @IsString() ALERT_INCIDENT_SEVERITIES = 'Extreme,Severe';
  /** The public alert page, JSON and Atom feed are rebuilt from the record at most once per this many seconds per API process. */
  @Transform(toNum) @IsNumber() @Min(1) @Max(300) PUBLIC_CACHE_S = 5;
  /** Local time (`HH:mm`, 24-hour, in DATA_TIME_ZONE) at which each district's and the city's daily briefing is produced, on the system's clock. */
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'BRIEFING_LOCAL_TIME must be HH:mm (24-hour)' }) BRIEFING_LOCAL_TIME = '06:00';
  /** Residents' reports (`POST /api/public/reports`) accepted per device (the page's own id) per window before `429`. */
  @Transform(toNum) @IsInt() @Min(1) PUBLIC_REPORTS_PER_DEVICE = 3;
  /** ... and per client address per window: higher, so residents behind one carrier address (CGNAT) are not locked out by one device. */
  @Transform(toNum) @IsInt() @Min(1) PUBLIC_REPORTS_PER_ADDRESS = 60;
  /** The window of both public report limits, seconds. */
  @Transform(toNum) @IsInt() @Min(1) PUBLIC_REPORT_WINDOW_S = 600;
  /** Pending residents' reports kept waiting for a call taker at most; past it a new report is refused (`503`), so a flood never grows the queue without bound. */
  @Transform(toNum) @IsInt() @Min(1) PUBLIC_REPORT_QUEUE_MAX = 500;
  /** Callers' names and callback numbers are deleted this many days after they were recorded (the call record keeps the rest). */
  @Transform(toNum) @IsInt() @Min(1) @Max(36500) CALLER_RETENTION_DAYS = 90;
  /**
   * Disposition codes a dispatcher closes an incident with, comma-separated (letters, digits, `-`); one is
   * required to close. The default: common fire and EMS outcomes (not a licensed code set).
   */
  @Matches(/^\s*[A-Za-z0-9][A-Za-z0-9-]{0,39}\s*(,\s*[A-Za-z0-9][A-Za-z0-9-]{0,39}\s*)*$/, { message: 'DISPOSITION_CODES must be a comma-separated list of codes (letters, digits and -)' })
  DISPOSITION_CODES = 'TRANSPORTED,TREATED-RELEASED,REFUSED-CARE,EXTINGUISHED,FALSE-ALARM,UNFOUNDED,GONE-ON-ARRIVAL,REPORT-TAKEN';
  /** Optional JSON file of call-taking questions per call type (see `call-record/call-taking.ts`); unset: the built-in sets. */
  @IsOptional() @IsString() CALL_TAKING_FILE?: string;
  /** Built console assets served at `/`. */
  @IsString() CONSOLE_DIR = 'dist/console';
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';
  /** Bearer token that lets any client read `/metrics`; unset: only clients on the loopback interface may. */
  @IsOptional() @IsString() @Matches(/^\S{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters without spaces' }) METRICS_TOKEN?: string;
  /** Port of the worker's own `/metrics` (on HOST); 0 for any free port. */
  @Transform(toNum) @IsInt() @Min(0) @Max(65535) WORKER_METRICS_PORT = 9464;
  /**
   * The worker process's scheduling priority (`nice`, 0 to 19; 0 leaves it as started). When the API and
   * a worker share cores, a surge's dispatch work then waits for the API's intake instead of the other
   * way round: a call-taker's `202` stays quick while the backlog is worked (issue 19's profile). Only
   * the separate worker process is lowered, never the API.
   */
  @Transform(toNum) @IsInt() @Min(0) @Max(19) WORKER_NICE = 10;
  /** Lifetime of the admin cookie that opens the queue dashboard in a commander's browser, seconds. */
  @Transform(toNum) @IsInt() @Min(60) @Max(86400) ADMIN_COOKIE_TTL_S = 900;

  /** MQTT broker of the lifeline sensors (`mqtt://user:pass@host:1883`, `mqtts://...`); unset: 127.0.0.1:1883 when it answers, else `npm start` runs an in-process aedes broker. */
  @IsOptional() @IsString() @Matches(/^mqtts?:\/\/\S+$/, { message: 'MQTT_URL must be an mqtt:// or mqtts:// URL' }) MQTT_URL?: string;
  /** Username and password the CAD's own subscriber presents to the broker (sensors have their own, see README). */
  @IsOptional() @IsString() MQTT_USERNAME?: string;
  @IsOptional() @IsString() MQTT_PASSWORD?: string;
  /** First topic segment(s) of sensor readings: `<prefix>/<network>/<sensor>/<quantity>`; refused readings go to `<prefix>/deadletter`. */
  @IsString() @Matches(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/) MQTT_TOPIC_PREFIX = 'city';
  /** MQTT client id of the subscriber (a persistent session: QoS 1 readings are kept by the broker while it is away); unset: `cad-<REDIS_PREFIX>`. */
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_:.-]{1,64}$/) MQTT_CLIENT_ID?: string;
  /** How long the broker keeps the subscriber's session (and its queued readings) after it disconnects, seconds. */
  @Transform(toNum) @IsInt() @Min(0) MQTT_SESSION_EXPIRY_S = 86400;
  /** Run the lifelines channel (MQTT subscriber and leak detectors) where the workers run. */
  @Transform(toBool) @IsBoolean() LIFELINES_ENABLED = true;
  /** Lifeline networks and sensors (JSON); see `db/lifelines/sf-lifelines.json`. */
  @IsString() LIFELINES_FILE = 'db/lifelines/sf-lifelines.json';
  /** Folder of the network models (EPANET `.inp`) the lifelines file names, read as they are. */
  @IsString() LIFELINES_DIR = '../shared/data/lifelines';
  /** Days a sensor reading is kept after its measurement instant; older readings are pruned hourly. */
  @Transform(toNum) @IsNumber() @Min(0.001) TELEMETRY_RETENTION_DAYS = 90;
  /** Readings are written to Postgres in batches: at most this many milliseconds after the first one waits. */
  @Transform(toNum) @IsInt() @Min(1) @Max(10000) TELEMETRY_FLUSH_MS = 200;
  /** A sensor is silent when its newest reading is older than this many of its reporting periods. */
  @Transform(toNum) @IsNumber() @Min(1) LIFELINES_SILENT_AFTER_PERIODS = 3;

  /** Absolute path of a data file. */
  dataFile(name: string): string {
    return path.resolve(this.DATA_DIR, name);
  }
}

/**
 * The folder of the OASIS CAP schemas an environment names: `CAP_SCHEMA_DIR`, else beside the data
 * (`<standards>/cap` next to `<data>/san-francisco`, as the README's layout has it): `DATA_DIR/../../standards/cap`,
 * with DATA_DIR's default when unset. Relative paths are taken from the working directory.
 */
export function capSchemaDir(env: Record<string, string | undefined>): string {
  return env.CAP_SCHEMA_DIR || path.resolve(env.DATA_DIR || new AppConfig().DATA_DIR, '../../standards/cap');
}

/**
 * Builds the configuration from an environment map.
 * @throws Error listing every invalid variable by name
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(new AppConfig()).concat(['DATABASE_URL', 'REDIS_URL', 'STATIONS_FILE', 'DRILL_DATE', 'JWT_SECRET', 'METRICS_TOKEN', 'MQTT_URL', 'MQTT_USERNAME', 'MQTT_PASSWORD', 'MQTT_CLIENT_ID', 'CALL_TAKING_FILE'])) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  if (raw.DATA_DIR && !raw.CAP_SCHEMA_DIR) raw.CAP_SCHEMA_DIR = capSchemaDir(raw);
  if (raw.CITY_PROFILE) Object.assign(raw, { ...profileSettings(raw.CITY_PROFILE, raw.DATA_DIR ?? new AppConfig().DATA_DIR), ...raw });
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors = validateSync(config);
  if (errors.length) {
    throw new Error(
      'invalid configuration: ' + errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; '),
    );
  }
  return config;
}
