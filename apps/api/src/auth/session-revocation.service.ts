import { Injectable, Logger } from '@nestjs/common';
import type { Server, Socket } from 'socket.io';
import { AuthService } from './auth.service';
import { Principal } from './principal';

/** Cluster-wide message (socket.io `serverSideEmit` over the Redis adapter): the account's sessions ended. */
const SESSIONS_ENDED = 'cad:sessions-ended';

/** Room of every socket signed in as one account, on every node. */
export const userRoom = (userId: string) => `user:${userId}`;

/**
 * Ends every session of an account within about a second, on every API node: the caller has raised
 * the account's `token_version` (or disabled it); this drops each node's cached view of the account
 * (so the next request reads the new version and is refused) and closes the account's open sockets
 * everywhere, through the socket.io Redis adapter (`serverSideEmit`, `disconnectSockets`). Each socket
 * message is also checked against the account's state ({@link AuthService.assertActive}). Should a
 * node miss the broadcast (Redis down at that moment), its cache still expires within
 * `ACCOUNT_CACHE_MS`.
 */
@Injectable()
export class SessionRevocationService {
  private readonly log = new Logger('Sessions');
  private server: Server | null = null;

  constructor(private readonly auth: AuthService) {}

  /**
   * Binds to the realtime gateway's server (called from its `afterInit`): each signed-in socket joins
   * its account's room and has every message checked; other nodes' revocations drop this node's cache.
   */
  attach(server: Server): void {
    this.server = server;
    server.on('connection', (socket: Socket) => {
      const user = socket.data.user as Principal | undefined;
      if (!user) return;
      void socket.join(userRoom(user.userId));
      socket.use((_packet, next) => {
        this.auth.assertActive(user).then(
          () => next(),
          (e: Error) => {
            next(e);
            socket.disconnect(true);
          },
        );
      });
    });
    server.on(SESSIONS_ENDED, (userId: unknown) => {
      if (typeof userId === 'string') this.auth.forget(userId);
    });
  }

  /** Ends every session of the account now: here, on the other nodes, and on its open sockets. */
  ended(userId: string): void {
    this.auth.forget(userId);
    if (!this.server) return;
    try {
      this.server.serverSideEmit(SESSIONS_ENDED, userId);
      this.server.in(userRoom(userId)).disconnectSockets(true);
    } catch (e) {
      this.log.warn(`could not tell other nodes that the sessions of ${userId} ended: ${(e as Error).message}`);
    }
  }
}
