import * as net from 'node:net';
import { withTimeout } from './queues.service';

/**
 * The CI flake of the offline-banner e2e: readiness called PostgreSQL down seconds after it was back. A
 * bound that passes while this process's event loop is busy fires in the timers phase, before the poll
 * phase that would deliver the answer already waiting on the socket. `withTimeout` now looks once more
 * after that poll phase. Hostile twin: a dependency that really does not answer is still called slow, and
 * within the bound's order of time.
 */
describe('withTimeout and a busy event loop', () => {
  let server: net.Server;
  let client: net.Socket;
  let peer: net.Socket;
  beforeAll(async () => {
    server = net.createServer();
    const accepted = new Promise<net.Socket>((r) => server.once('connection', r));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    peer = await accepted;
  });
  afterAll(async () => {
    client.destroy();
    peer.destroy();
    await new Promise((r) => server.close(r));
  });

  const busy = (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      // the process is busy: no timer, no socket read runs
    }
  };

  it('takes an answer that arrived while the loop was busy past the bound', async () => {
    const answer = new Promise<string>((r) => client.once('data', (d) => r(String(d))));
    const checked = withTimeout(answer, 100, 'PostgreSQL did not answer');
    peer.write('1');
    busy(300); // the answer reaches the socket at once; this process reads it only after 300 ms
    await expect(checked).resolves.toBe('1');
  });

  it('still calls a dependency that never answers slow, soon after the bound', async () => {
    const started = Date.now();
    await expect(withTimeout(new Promise(() => undefined), 100, 'PostgreSQL did not answer')).rejects.toThrow('PostgreSQL did not answer within 100 ms');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
