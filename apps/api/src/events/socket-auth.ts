import { Injectable } from '@nestjs/common';
import type { Server } from 'socket.io';
import { AuthService } from '../auth/auth.service';
import { SessionRevocationService } from '../auth/session-revocation.service';

/**
 * Who may hold a socket: every connection must carry a valid sign-in token of an active user
 * (`auth: { token }`; others get `connect_error`, the message saying why), and a user disabled or
 * signed out everywhere has their sockets closed ({@link SessionRevocationService}).
 */
@Injectable()
export class SocketAuth {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionRevocationService,
  ) {}

  /** Installs the handshake check on `server` (the signed-in principal goes to `socket.data.user`) and the revocation of sessions. */
  attach(server: Server): void {
    server.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: string } | undefined)?.token;
      Promise.resolve()
        .then(async () => {
          const user = this.auth.verify(token);
          await this.auth.assertActive(user);
          socket.data.user = user;
        })
        .then(() => next(), (e: Error) => next(new Error(e.message)));
    });
    this.sessions.attach(server);
  }
}
