import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import type { Queue } from 'bullmq';
import { DomainError } from '../../common/errors';
import { AdminSession } from '../../auth/admin-session';

/** Where the queue dashboard is served. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The bull-board dashboard of `queues`, read-only (no retry, clean or remove: its action routes answer
 * `405` here, and bull-board's own read-only mode refuses them too), for the city commander only (see
 * {@link AdminSession}): `401` without a session, `403` naming the role for anyone else.
 * @returns the Express handlers to mount at {@link QUEUE_DASHBOARD_PATH}
 */
export function queueDashboard(queues: Queue[], session: AdminSession) {
  const server = new ExpressAdapter();
  server.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false })),
    serverAdapter: server,
    options: { uiConfig: { boardTitle: 'City CAD queues' } },
  });
  const guard = (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).json({ statusCode: 405, message: 'the queue dashboard is read-only' });
      return;
    }
    session.principalOf(req).then(
      () => next(),
      (e: Error) => {
        const status = e instanceof DomainError ? e.status : 500;
        res.status(status).json({ statusCode: status, message: e.message });
      },
    );
  };
  return [guard, server.getRouter() as (req: Request, res: Response, next: NextFunction) => void];
}
