import { JurisdictionIndex } from '@cad/domain';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConnectedSocket, MessageBody, OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import { AccessService } from '../auth/access.service';
import { Principal } from '../auth/principal';
import { UNIT_ID } from '../common/validation';
import { ClockService } from '../platform/clock/clock.service';
import { EventSequencer, SEQUENCED_CHANNEL } from './event-sequencer';
import { EVENT_CHANNEL, EventsService } from './events.service';
import { SocketAuth } from './socket-auth';
import { avlRooms, phoneRoomsOf, RelayedEvent, strip, toPhones } from './relay-rooms';

/** How many missed events a reconnecting client may be sent before it is told to reload a snapshot. */
export const MAX_REPLAY = 5000;
/**
 * Per socket: the count of `subscribe` messages received, the chain that runs them one at a time, and
 * what the last one delivered (its subscription's key; up to which position; following live or not).
 */
interface SubscribeState {
  gen: number;
  chain: Promise<unknown>;
  delivered?: { key: string; seq: number; live: boolean } | null;
}

/** Room of clients being replayed to: the live relay skips them until they have caught up. */
const REPLAYING = 'replaying';
/** Rooms a `subscribe` chooses (a jurisdiction's live events, its drills' events, a unit's): left when it chooses others. */
const FOLLOWING = /^(jurisdiction|drills|drill|unit):/;
/** A drill run id, the name of its world (`drill-<day>-<policy>...`). */
const DRILL_WORLD = /^drill-[A-Za-z0-9-]{1,80}$/;
/** The relay reads the log when the sequencer says it positioned events, and at least this often, ms (and the sequencer runs as often). */
const FALLBACK_POLL_MS = 500;
/** Reads of the log woken by notifications start at least this far apart (a burst is read in one go), ms. */
const BUSY_POLL_MS = 20;
/**
 * Sequencer runs for commits that appended only drills' events start at least this far apart, ms (a live
 * commit's notification still brings the run within {@link BUSY_POLL_MS}). Issue 19's profile of the
 * drill: a run after every step's commit (2 ms of Postgres each, on the drill's second core) slowed the
 * step after it; a replay's events reach the consoles within a quarter of a second all the same.
 */
const DRILL_SEQUENCE_MS = 250;
/** Wait before listening again after the notification connection failed (Postgres restarting), ms. */
const RELISTEN_MS = 1000;

/**
 * What is wrong with a `subscribe` message's `jurisdictionId` and `unitId` before any room is chosen, or
 * null. `jurisdictionId` (absent or null: the post itself) must be a string; a responder follows its own
 * unit and may not name a jurisdiction (it used to be answered ok and silently ignored), nor may anyone
 * name both a jurisdiction and a unit. `unitId`, when present, must be a unit id string. Unknown and
 * out-of-post jurisdictions are refused later, against the jurisdiction index and the post.
 *
 * @returns an error naming the field (`jurisdictionId` or `unitId`), or null when the shape is right
 */
export function subscribeShapeError(body: { jurisdictionId?: unknown; unitId?: unknown } | undefined, user: Pick<Principal, 'role'>): string | null {
  const j = body?.jurisdictionId;
  const u = body?.unitId;
  if (j !== undefined && j !== null) {
    if (typeof j !== 'string') return 'jurisdictionId must be a jurisdiction id (a string)';
    if (user.role === 'responder') return 'jurisdictionId is not accepted from a responder: a responder follows its own unit';
    if (u !== undefined && u !== null) return 'jurisdictionId and unitId cannot both be given: follow a jurisdiction or a unit';
  }
  if (u !== undefined && u !== null && !(typeof u === 'string' && UNIT_ID.test(u))) return 'unitId must be a unit id';
  return null;
}

/** One AVL position for the `avl` broadcast, WGS84 degrees. */
export interface AvlPosition {
  unitId: string;
  lat: number;
  lon: number;
  /**
   * The street the unit is based in when the fix was taken (its current station's street, read with
   * the fix; null: outside every street): the consoles of its chain receive the position. Not sent to
   * clients. Absent: the last street this process was given for the unit (at start-up, its home street).
   */
  streetId?: string | null;
}

/**
 * The socket.io gateway and realtime relay. Woken when events commit, it runs the {@link EventSequencer}
 * (one run at a time across every process); woken when events were positioned, the relay reads the log
 * in `seq` order from the last position it relayed (positions appear in order, so there is never a
 * gap to wait for or skip) and emits them (`event`) to the rooms `jurisdiction:<id>` of every jurisdiction the event
 * concerns and `unit:<id>` of its unit (and, for `incident.updated`, of every unit with a task on the
 * incident: {@link phoneRoomsOf}). A client sends `subscribe { lastSeq, jurisdictionId?, drills? }` (on every
 * (re)connect); events of a drill's world go only to clients that also asked for drills (`drills: true`
 * for every drill world, or a list of drill run ids), never to one that follows live work alone. It
 * joins its rooms and is sent every event after `lastSeq` that it missed (`lastSeq`
 * null or absent: none, it follows from now and reads the current state from the API), or `resync`
 * when more than {@link MAX_REPLAY} were missed or when `lastSeq` is ahead of the log itself (the
 * database was restored). The handshake must carry a sign-in token, and a
 * client may only follow jurisdictions inside its post (a responder: only its unit).
 */
@WebSocketGateway({ cors: { origin: true }, maxHttpBufferSize: 64 * 1024 })
export class RealtimeGateway implements OnApplicationBootstrap, BeforeApplicationShutdown, OnGatewayInit {
  @WebSocketServer() server: Server;
  private readonly log = new Logger('Realtime');
  private relayed = 0;
  private timer: NodeJS.Timeout | null = null;
  private clockTimer: NodeJS.Timeout | null = null;
  private polling = false;
  /** A notification came while a read was running: read once more when it ends. */
  private pollAgain = false;
  /** When the last read of the log started (performance.now(), ms), and a read already scheduled. */
  private lastPollAt = 0;
  private wakeTimer: NodeJS.Timeout | null = null;
  /** When the sequencer was last run for a notification (performance.now(), ms), and a run already scheduled. */
  private lastSequenceAt = 0;
  private sequenceTimer: NodeJS.Timeout | null = null;
  /** When the pending {@link sequenceTimer} fires (performance.now() ms). */
  private sequenceDue = 0;
  private listener: Client | null = null;
  private relistenTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly events: EventsService,
    private readonly clock: ClockService,
    private readonly socketAuth: SocketAuth,
    private readonly access: AccessService,
    private readonly index: JurisdictionIndex,
    private readonly ds: DataSource,
    private readonly sequencer: EventSequencer,
  ) {}

  /** Sequence number of the last event this process has relayed (the metrics' relay lag is measured from it). */
  get relayedSeq(): number {
    return this.relayed;
  }

  /**
   * Home street of every live unit as this process last knew it: loaded at start-up and updated by
   * every live position broadcast with its `streetId`. Only the fallback for a broadcast that carries no
   * street; a unit moved to another street's station is routed by the street its fix carries.
   */
  private homes = new Map<string, string | null>();

  /** Every connection must carry a valid sign-in token of an active user (see {@link SocketAuth}). */
  afterInit(server: Server): void {
    this.socketAuth.attach(server);
  }

  async onApplicationBootstrap(): Promise<void> {
    const units: { id: string; home_street_id: string | null }[] = await this.ds.query(`SELECT id, home_street_id FROM unit WHERE world = 'live'`);
    this.homes = new Map(units.map((u) => [u.id, u.home_street_id]));
    this.relayed = await this.events.lastSeq();
    this.timer = setInterval(() => {
      this.sequence();
      void this.poll();
    }, FALLBACK_POLL_MS);
    this.clockTimer = setInterval(() => this.server?.emit('clock', this.clock.state()), 1000);
    await this.listen();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.clockTimer) clearInterval(this.clockTimer);
    if (this.relistenTimer) clearTimeout(this.relistenTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.sequenceTimer) clearTimeout(this.sequenceTimer);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  /**
   * Listens on {@link EVENT_CHANNEL} (Postgres delivers it when a transaction that appended events
   * commits: the sequencer runs) and {@link SEQUENCED_CHANNEL} (a sequencer, here or in another process,
   * positioned events: the relay reads the log at once instead of at its next poll). When the connection
   * drops (Postgres restarting) the fallback poll carries on and listening resumes.
   */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    const url = (this.ds.options as { url?: string }).url;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    const retry = (err: Error) => {
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
      if (this.stopped || this.relistenTimer) return;
      this.log.warn(`relay notifications: ${err.message}; polling every ${FALLBACK_POLL_MS} ms meanwhile`);
      this.relistenTimer = setTimeout(() => {
        this.relistenTimer = null;
        void this.listen();
      }, RELISTEN_MS);
    };
    client.on('error', retry);
    client.on('end', () => retry(new Error('connection ended')));
    // The trigger names what the committing transaction appended: `drill` when only drills' events (see EVENT_CHANNEL).
    client.on('notification', (n) => (n.channel === EVENT_CHANNEL ? this.sequenceSoon(n.payload === 'drill' ? DRILL_SEQUENCE_MS : BUSY_POLL_MS) : this.wake()));
    try {
      await client.connect();
      await client.query(`LISTEN ${SEQUENCED_CHANNEL}`);
      await client.query(`LISTEN ${EVENT_CHANNEL}`);
      this.listener = client;
      this.sequence(); // anything committed while not listening
      void this.poll();
    } catch (err) {
      retry(err as Error);
    }
  }

  /**
   * A commit appended events: runs the sequencer now, or as soon as `spacingMs` has passed since its
   * last run for a notification, so a burst of commits (a drill at maximum speed, a surge) is positioned
   * in one run, not one sequencer transaction per commit (issue 19's profile). A live commit's
   * notification ({@link BUSY_POLL_MS}) brings forward a run waiting on a drill's ({@link DRILL_SEQUENCE_MS}).
   */
  private sequenceSoon(spacingMs: number): void {
    if (this.stopped) return;
    const due = this.lastSequenceAt + spacingMs;
    if (this.sequenceTimer) {
      if (this.sequenceDue <= due) return;
      clearTimeout(this.sequenceTimer);
      this.sequenceTimer = null;
    }
    const run = () => {
      this.sequenceTimer = null;
      this.lastSequenceAt = performance.now();
      this.sequence();
    };
    const wait = due - performance.now();
    if (wait <= 0) return run();
    this.sequenceDue = due;
    this.sequenceTimer = setTimeout(run, wait);
  }

  /** Runs the sequencer; when it positioned events, the relay reads them now. */
  private sequence(): void {
    if (this.stopped) return;
    this.sequencer.sequence().then(
      (n) => {
        if (n > 0) this.wake();
      },
      (err: Error) => {
        if (!this.stopped) this.log.warn(`sequencer: ${err.message}`);
      },
    );
  }

  /**
   * Client asks to receive events after `lastSeq`: of a jurisdiction (default: the whole city), or,
   * for a responder's phone, of one unit (`unitId`: the events that name that unit).
   */
  @SubscribeMessage('subscribe')
  subscribe(
    @ConnectedSocket() client: Socket,
    @MessageBody() body: { lastSeq?: number | null; jurisdictionId?: string; unitId?: string; drills?: boolean | string[] } | undefined,
  ) {
    // Subscribes of one socket are handled one at a time, in arrival order: a later one supersedes an
    // earlier one still replaying (it stops), then continues from what that one delivered, so two
    // subscribes in flight never replay an event twice or out of order.
    const state = (client.data.subscribe ??= { gen: 0, chain: Promise.resolve() }) as SubscribeState;
    const gen = ++state.gen;
    const run = state.chain.then(() => this.subscribeInOrder(client, body, state, gen));
    state.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** One `subscribe` of a socket, run after the socket's earlier ones ({@link subscribe}). */
  private async subscribeInOrder(
    client: Socket,
    body: { lastSeq?: number | null; jurisdictionId?: string; unitId?: string; drills?: boolean | string[] } | undefined,
    state: SubscribeState,
    gen: number,
  ) {
    if (state.gen !== gen) return { ok: false, superseded: true, error: 'superseded by a later subscribe on this socket' };
    const user = client.data.user as Principal;
    const refused = subscribeShapeError(body, user);
    if (refused) return { ok: false, error: refused };
    // A responder follows their own unit; everyone else a jurisdiction inside their post (default: the post itself).
    const unitId = user.role === 'responder' ? user.unitId : typeof body?.unitId === 'string' && UNIT_ID.test(body.unitId) ? body.unitId : null;
    if (user.role === 'responder' && typeof body?.unitId === 'string' && body.unitId !== user.unitId) {
      return { ok: false, error: `unit ${user.unitId} cannot follow unit ${body.unitId}` };
    }
    if (unitId && user.role !== 'responder') {
      // The unit's current home street (a move-up or a station change moves it), not the one at start-up.
      const [unit]: { home_street_id: string | null }[] = await this.ds.query(`SELECT home_street_id FROM unit WHERE world = 'live' AND id = $1`, [unitId]);
      if (!unit) return { ok: false, error: `unknown unit ${unitId}` };
      if (!this.access.coversStreet(user, unit.home_street_id)) return { ok: false, error: `unit ${unitId} is based outside ${user.jurisdictionId}` };
    }
    const jurisdiction = typeof body?.jurisdictionId === 'string' ? body.jurisdictionId : (user.jurisdictionId ?? this.index.cityId);
    // Checked above: a responder names no jurisdiction, a string was sent or none. Unknown or outside the post: refused here.
    if (!unitId && !this.index.get(jurisdiction)) return { ok: false, error: `jurisdictionId: unknown jurisdiction ${jurisdiction.slice(0, 120)}` };
    if (!unitId && !this.access.coversJurisdiction(user, jurisdiction)) {
      return { ok: false, error: `jurisdictionId: jurisdiction ${jurisdiction} is outside ${user.jurisdictionId}` };
    }
    const rawSeq = body?.lastSeq;
    if (rawSeq !== undefined && rawSeq !== null && !(Number.isSafeInteger(rawSeq) && rawSeq >= 0)) {
      return { ok: false, error: 'lastSeq must be a non-negative integer (or null for none)' };
    }
    const drills = body?.drills;
    if (drills !== undefined && typeof drills !== 'boolean' && !(Array.isArray(drills) && drills.length <= 8 && drills.every((d) => typeof d === 'string' && DRILL_WORLD.test(d)))) {
      return { ok: false, error: 'drills must be true, false or a list of up to 8 drill run ids' };
    }
    // A drill world's events reach only sockets watching it (every drill: `drills: true`; some: their ids).
    const watched = (world: string | undefined) => toPhones({ world }) || drills === true || (Array.isArray(drills) && drills.includes(world!));
    const rooms = unitId
      ? [`unit:${unitId}`]
      : [`jurisdiction:${jurisdiction}`, ...(drills === true ? [`drills:jurisdiction:${jurisdiction}`] : []), ...(Array.isArray(drills) ? drills.map((d) => `drill:${d}:jurisdiction:${jurisdiction}`) : [])];
    const wanted = (e: RelayedEvent) => (unitId ? phoneRoomsOf(e).includes(`unit:${unitId}`) : e.jurisdictionIds.includes(jurisdiction) && watched(e.world));
    const key = JSON.stringify([rooms, unitId, drills ?? null]);
    const before = state.delivered?.key === key ? state.delivered : null;
    for (const r of client.rooms) if (FOLLOWING.test(r) && !rooms.includes(r)) await client.leave(r);
    await client.join(REPLAYING);
    await client.join(rooms);
    // What this socket already has of the same subscription: up to the relay when it was following live
    // (the relay reached it until the join above), else up to where a superseded replay stopped.
    const had = before ? (before.live ? this.relayed : before.seq) : 0;
    state.delivered = null;
    client.emit('clock', this.clock.state());
    // No lastSeq (absent or null: "none seen"): follow from now on, with no replay; the client reads
    // the current state from the API. Null is not 0 (Number(null) is 0: a full-history replay).
    if (rawSeq === undefined || rawSeq === null) {
      await client.leave(REPLAYING);
      state.delivered = { key, seq: this.relayed, live: true };
      return { ok: true, relayed: this.relayed };
    }
    const last = rawSeq;
    // A client ahead of the log itself (the database was restored, or it last saw another system) would
    // drop every later event as already seen: it reloads from a snapshot instead. Ahead of this node's
    // relay only (another API node relayed first) is normal: the log is asked before deciding.
    if (last > this.relayed && last > (await this.events.lastSeq())) {
      await client.leave(REPLAYING);
      client.emit('resync');
      return { ok: true, resync: true, reason: `lastSeq ${last} is ahead of the event log` };
    }
    if (this.relayed - last > MAX_REPLAY) {
      await client.leave(REPLAYING);
      client.emit('resync');
      return { ok: true, resync: true };
    }
    // Replay in order until caught up with the relay. The live relay skips this client meanwhile
    // (room REPLAYING), and the last check and the leave happen with no await between them, so no
    // live event can slip in between: the client gets every event once, in sequence order.
    let from = Math.max(last, had);
    for (;;) {
      const upTo = this.relayed;
      while (from < upTo) {
        const batch = await this.events.after(from, 1000);
        // A later subscribe arrived: stop here (still skipped by the relay); it goes on from `from`.
        if (state.gen !== gen) {
          state.delivered = { key, seq: from, live: false };
          return { ok: false, superseded: true, error: 'superseded by a later subscribe on this socket' };
        }
        for (const e of batch) {
          if (e.seq > upTo) break;
          if (wanted(e)) client.emit('event', strip(e));
          from = e.seq;
        }
        if (batch.length === 0 || from >= upTo) break;
      }
      from = Math.max(from, upTo);
      if (state.gen !== gen) {
        state.delivered = { key, seq: from, live: false };
        return { ok: false, superseded: true, error: 'superseded by a later subscribe on this socket' };
      }
      if (this.relayed === upTo) {
        void client.leave(REPLAYING);
        state.delivered = { key, seq: upTo, live: true };
        return { ok: true, relayed: upTo };
      }
    }
  }

  /**
   * Broadcasts live unit positions (not stored, not sequenced) to the consoles whose jurisdiction
   * holds each unit's home street (its street, district and city: `streetId` of the position, the
   * street of the station it is based at now) and, for live units, to the unit's own phone; across API
   * nodes through the socket.io Redis adapter. The message names its `world` (`live` or the drill run
   * id), so a console draws a drill's units apart from the live ones; a drill's positions go only to
   * the sockets watching that drill, as its events do ({@link avlRooms}). Positions go out as
   * `{ unitId, lat, lon }`.
   */
  broadcastAvl(at: Date, positions: AvlPosition[], world = 'live'): void {
    if (!positions.length || !this.server) return;
    const byRoom = new Map<string, AvlPosition[]>();
    for (const { streetId, ...p } of positions) {
      if (streetId !== undefined && toPhones({ world })) this.homes.set(p.unitId, streetId);
      const street = streetId !== undefined ? streetId : (this.homes.get(p.unitId) ?? null);
      const rooms = avlRooms(this.index.chain(street), world, p.unitId);
      for (const r of rooms) {
        const list = byRoom.get(r);
        if (list) list.push(p);
        else byRoom.set(r, [p]);
      }
    }
    const when = at.toISOString();
    for (const [room, list] of byRoom) this.server.to(room).emit('avl', { at: when, world, positions: list });
  }

  /**
   * A notification: read the log now, or as soon as {@link BUSY_POLL_MS} has passed since the last
   * read. With no console connected to this process only the cursor moves, and the fallback poll does that.
   */
  private wake(): void {
    if (!this.server || this.server.sockets.sockets.size === 0 || this.wakeTimer) return;
    const wait = this.lastPollAt + BUSY_POLL_MS - performance.now();
    if (wait <= 0) void this.poll();
    else
      this.wakeTimer = setTimeout(() => {
        this.wakeTimer = null;
        void this.poll();
      }, wait);
  }

  private async poll(): Promise<void> {
    if (!this.server) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    this.pollAgain = false;
    this.lastPollAt = performance.now();
    try {
      // With no console connected to this process, only the cursor moves (no payloads read).
      if (this.server.sockets.sockets.size === 0) {
        this.relayed = Math.max(this.relayed, await this.events.highestSeq());
        return;
      }
      for (;;) {
        const batch = await this.events.after(this.relayed, 500);
        for (const e of batch) {
          const rooms = toPhones(e)
            ? e.jurisdictionIds.map((j) => `jurisdiction:${j}`)
            : e.jurisdictionIds.flatMap((j) => [`drills:jurisdiction:${j}`, `drill:${e.world}:jurisdiction:${j}`]);
          rooms.push(...phoneRoomsOf(e));
          // Each API process relays the log to its own clients only; the others relay it to theirs.
          this.server.local.to(rooms).except(REPLAYING).emit('event', strip(e));
          this.relayed = e.seq;
        }
        if (batch.length < 500) break;
      }
    } catch (err) {
      this.log.warn(`relay: ${(err as Error).message}`);
    } finally {
      this.polling = false;
      if (this.pollAgain) this.wake();
    }
  }
}
