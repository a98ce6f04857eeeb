import { Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ScenarioCall } from '@cad/db';
import { AuthService } from '../auth/auth.service';
import { DrillRun } from './drill-run';

/**
 * Posts a drill's calls through the API like a call taker would (`POST /api/calls`, as exercise calls
 * carrying the drill's id), signed in as the drill's own system user, to the API's own address.
 */
@Injectable()
export class DrillCallPoster {
  private readonly log = new Logger('Drill');
  private baseUrl = '';
  private systemToken: string | undefined;

  constructor(
    private readonly http: HttpAdapterHost,
    private readonly auth: AuthService,
  ) {}

  /** Sets the API's own address (e.g. `http://127.0.0.1:3000`) that drill calls are posted to (default: the listening server's). */
  setBaseUrl(url: string): void {
    this.baseUrl = url;
  }

  /**
   * Finds the listening server's address once (a wildcard address becomes the loopback), unless set.
   * @throws Error when the API is not listening yet
   */
  resolveBaseUrl(): void {
    if (this.baseUrl) return;
    const addr = this.http.httpAdapter?.getHttpServer()?.address() as { port: number; address: string } | null;
    if (!addr?.port) throw new Error('drill: the API is not listening yet');
    this.baseUrl = `http://${addr.address === '::' || addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`;
  }

  /** The drill's own sign-in token. */
  private get token(): string {
    this.systemToken ??= this.auth.issue({ userId: 'system-drill', username: 'drill', role: 'system', jurisdictionId: null, unitId: null });
    return this.systemToken;
  }

  /**
   * Posts one scenario call of the run (call number `<drillId>:<externalId>`, received at its recorded
   * or surged instant); counts it as posted (202) or refused (any other status, logged).
   */
  async post(run: DrillRun, c: ScenarioCall): Promise<void> {
    const res = await fetch(`${this.baseUrl}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({
        callNumber: run.callNumber(c.externalId),
        type: c.type,
        priority: c.priority,
        lat: c.lat,
        lon: c.lon,
        ...(c.address ? { address: c.address } : {}),
        receivedAt: c.received.toISOString(),
        source: 'drill',
        exercise: true,
        drillId: run.id,
      }),
    });
    if (res.status !== 202) {
      run.refused++;
      this.log.warn(`call ${c.externalId} refused: ${res.status} ${await res.text()}`);
    } else run.posted++;
  }
}
