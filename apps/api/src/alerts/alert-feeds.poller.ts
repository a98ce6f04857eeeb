import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { XMLParser } from 'fast-xml-parser';
import { AppConfig } from '../config/config';
import { ReceivedAlertsService } from './received-alerts.service';

/** Most entries followed per feed per poll. */
const MAX_ENTRIES = 50;

const atomParser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, processEntities: false, isArray: (n) => n === 'entry' || n === 'link' || n === 'item' });

/**
 * The CAP messages a feed document points at: itself when it is a CAP alert; for an Atom feed each
 * entry's `application/cap+xml` link (else its first link); for RSS each item's link. URLs are
 * resolved against the feed's.
 */
export function capLinksOf(body: string, feedUrl: string): string[] | 'self' {
  if (/<(\w+:)?alert\b/.test(body) && !/<(\w+:)?feed\b|<rss\b/.test(body)) return 'self';
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) return [];
  const doc = atomParser.parse(body) as { feed?: { entry?: { link?: Record<string, string>[] }[] }; rss?: { channel?: { item?: { link?: string[] }[] } } };
  const hrefs: string[] = [];
  for (const e of doc.feed?.entry ?? []) {
    const links = e.link ?? [];
    const l = links.find((x) => x['@_type'] === 'application/cap+xml') ?? links[0];
    if (l?.['@_href']) hrefs.push(l['@_href']);
  }
  for (const i of doc.rss?.channel?.item ?? []) if (i.link?.[0]) hrefs.push(String(i.link[0]));
  return hrefs.slice(0, MAX_ENTRIES).map((h) => new URL(h, feedUrl).toString());
}

/**
 * Pulls other agencies' feeds (`ALERT_FEEDS`) every `ALERT_FEED_POLL_S` in the worker process: each
 * message goes through the same receiving as a posted one (configured senders only, schema,
 * de-duplication by identity, so several workers polling the same feed store each message once).
 * A feed that fails is logged and retried at the next poll.
 */
@Injectable()
export class AlertFeedsPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('AlertFeeds');
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<number> | null = null;

  constructor(
    private readonly received: ReceivedAlertsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.RUN_WORKERS || !this.feeds().length) return;
    this.timer = setInterval(() => void this.pollAll(), this.config.ALERT_FEED_POLL_S * 1000);
    this.timer.unref();
    void this.pollAll();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private feeds(): string[] {
    return this.config.ALERT_FEEDS.split(',').map((s) => s.trim()).filter(Boolean);
  }

  /**
   * Polls every feed once, one poll at a time: a call made while a poll runs waits for it, then polls.
   * @returns how many new messages this poll stored
   */
  async pollAll(): Promise<number> {
    while (this.inFlight) await this.inFlight.catch(() => 0);
    this.inFlight = (async () => {
      let stored = 0;
      for (const url of this.feeds()) stored += await this.poll(url);
      return stored;
    })();
    try {
      return await this.inFlight;
    } finally {
      this.inFlight = null;
    }
  }

  private async fetchText(url: string): Promise<string> {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/atom+xml, application/cap+xml, application/xml' } });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    return res.text();
  }

  private async poll(url: string): Promise<number> {
    let stored = 0;
    try {
      const body = await this.fetchText(url);
      const links = capLinksOf(body, url);
      for (const link of links === 'self' ? [url] : links) {
        try {
          const r = await this.received.receive(link === url ? body : await this.fetchText(link));
          if (!r.duplicate) stored++;
        } catch (e) {
          this.log.warn(`feed ${url}: message ${link} refused: ${(e as Error).message}`);
        }
      }
    } catch (e) {
      this.log.warn(`feed ${url} not read: ${(e as Error).message}`);
    }
    return stored;
  }
}
