import { timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import type { Logger } from 'pino';
import type { MetricsService } from './metrics.service';

/** Client addresses counted as this machine. */
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Who may read `/metrics`: with a `METRICS_TOKEN`, any client that sends `Authorization: Bearer <token>`
 * (compared in constant time); without one, only clients on the loopback interface.
 * @returns null when allowed, else the status and reason to answer (`401` no or wrong token, `403` not loopback)
 */
export function metricsRefusal(token: string | undefined, remoteAddress: string | undefined, authorization: string | undefined): { status: number; message: string } | null {
  if (token) {
    const sent = Buffer.from(authorization?.startsWith('Bearer ') ? authorization.slice(7) : '');
    const want = Buffer.from(token);
    if (sent.length === want.length && timingSafeEqual(sent, want)) return null;
    return { status: 401, message: 'metrics need Authorization: Bearer <METRICS_TOKEN>' };
  }
  if (remoteAddress && LOOPBACK.has(remoteAddress)) return null;
  return { status: 403, message: 'metrics are served to the loopback interface only (set METRICS_TOKEN to allow others)' };
}

/** Node HTTP handler answering the metrics exposition to allowed clients (see {@link metricsRefusal}). */
export function metricsHandler(metrics: MetricsService, token: string | undefined) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const refusal = metricsRefusal(token, req.socket.remoteAddress, req.headers.authorization);
    if (refusal) {
      res.writeHead(refusal.status, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: refusal.status, message: refusal.message }));
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (e: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${e.message}`),
    );
  };
}

/**
 * Serves `GET /metrics` on its own port (the worker has no HTTP API). A port already taken is logged
 * and skipped: the worker keeps working without metrics rather than stopping.
 * @param port TCP port (0: any free one)
 * @returns the server, listening, or null when the port was taken
 */
export async function serveMetrics(metrics: MetricsService, opts: { host: string; port: number; token?: string; log: Logger }): Promise<http.Server | null> {
  const handle = metricsHandler(metrics, opts.token);
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === '/metrics') handle(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here');
  });
  return new Promise((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      opts.log.error({ port: opts.port, err: e.message }, `worker metrics not served: port ${opts.port} ${e.code === 'EADDRINUSE' ? 'is taken' : e.message} (set WORKER_METRICS_PORT)`);
      resolve(null);
    });
    server.listen(opts.port, opts.host, () => {
      const a = server.address() as { port: number };
      opts.log.info({ port: a.port }, `worker metrics at http://${opts.host}:${a.port}/metrics`);
      resolve(server);
    });
  });
}
