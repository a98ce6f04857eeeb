/** socket.io connection: subscribe with the last seq, stream events/AVL/clock, re-subscribe on reconnect. */
import { io, type Socket } from 'socket.io-client';
import { token } from './auth';
import type { AvlMessage, CadEvent, ClockState } from './types';
import { isLiveWorld, worldView, type WorldView } from './world';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface SocketHandlers {
  /** Sequence number to resume from (null = from the beginning). Read on every (re)connect. */
  lastSeq(): number | null;
  onEvent(ev: CadEvent): void;
  onAvl(msg: AvlMessage): void;
  /** A drill world's AVL message (its simulated units), for the exercise view's map. */
  onDrillAvl?(msg: AvlMessage & { world: string }): void;
  onClock(clock: ClockState): void;
  onResync(): void;
  onConnection(state: ConnectionState): void;
}

/** Open the socket.io connection (default path /socket.io, sign-in token in the handshake) and wire the handlers. */
export function connectSocket(h: SocketHandlers): Socket {
  // The token is read on every (re)connect attempt, so a new sign-in is picked up.
  const socket = io({ path: '/socket.io', transports: ['websocket', 'polling'], auth: (cb) => cb({ token: token() }) });
  h.onConnection('connecting');

  const subscribe = (): void => {
    socket.emit('subscribe', subscription(h.lastSeq()));
  };

  socket.on('connect', () => {
    h.onConnection('live');
    subscribe();
  });
  socket.on('disconnect', (reason) => {
    h.onConnection('reconnecting');
    // socket.io does not retry after the server closed the socket (a session ended, e.g. by a password
    // change that handed this console a new token): try again with whatever token is held now. A token that
    // is refused ends in connect_error, and the next HTTP answer 401 asks to sign in.
    if (reason === 'io server disconnect') setTimeout(() => { if (token() && !socket.connected) socket.connect(); }, 1000);
  });
  socket.on('connect_error', () => h.onConnection('reconnecting'));
  socket.io.on('reconnect_attempt', () => h.onConnection('reconnecting'));

  socket.on('event', (ev: CadEvent) => h.onEvent(ev));
  socket.on('avl', (msg: AvlMessage) => {
    // A drill's simulated positions never move the live units drawn.
    if (!msg || !Array.isArray(msg.positions)) return;
    if (isLiveWorld(msg.world)) h.onAvl(msg);
    else if (typeof msg.world === 'string') h.onDrillAvl?.({ ...msg, world: msg.world });
  });
  socket.on('clock', (c: ClockState) => {
    if (c) h.onClock(c);
  });
  socket.on('resync', () => h.onResync());
  return socket;
}

/** Ask the server to replay from the current lastSeq again (after a snapshot reload). */
export function resubscribe(socket: Socket, lastSeq: number | null): void {
  if (socket.connected) socket.emit('subscribe', subscription(lastSeq));
}

/**
 * The `subscribe` message: events after `lastSeq` (null: from now), and the drills' events only while
 * the exercise view is shown (the server sends a drill world's events only to sockets that ask).
 */
export function subscription(lastSeq: number | null, view: WorldView = worldView()): { lastSeq: number | null; drills: boolean } {
  return { lastSeq, drills: view === 'exercise' };
}
