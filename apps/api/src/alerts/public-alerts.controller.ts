import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/principal';
import { AppConfig } from '../config/config';
import { PublicAlertsService, PublicSnapshot } from './public-alerts.service';

/**
 * The public alert pages, no sign-in, from the in-memory snapshot (never a query per reader): clients
 * and proxies may keep each answer `PUBLIC_CACHE_S` seconds, and `If-None-Match` answers `304`.
 */
@Controller('public')
@Public()
export class PublicAlertsController {
  constructor(
    private readonly alerts: PublicAlertsService,
    private readonly config: AppConfig,
  ) {}

  private send(req: Request, res: Response, s: PublicSnapshot, type: string, body: string | undefined): void {
    res.setHeader('cache-control', `public, max-age=${this.config.PUBLIC_CACHE_S}`);
    res.setHeader('access-control-allow-origin', '*');
    if (body === undefined) {
      res.status(404).json({ statusCode: 404, code: 'NOT_FOUND', message: 'no such public alert message (the feed carries the newest 100)' });
      return;
    }
    res.setHeader('etag', s.etag);
    if (req.headers['if-none-match'] === s.etag) {
      res.status(304).end();
      return;
    }
    res.type(type).send(body);
  }

  /** `GET /public/alerts.atom`: Atom feed of the city's Actual public CAP messages (Alert, Update, Cancel), newest first. */
  @Get('alerts.atom')
  async atom(@Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.alerts.snapshot();
    this.send(req, res, s, 'application/atom+xml; charset=utf-8', s.atom);
  }

  /** `GET /public/alerts.json`: the active alerts (areas as GeoJSON, one info per language) and the city outline, for the public page. */
  @Get('alerts.json')
  async json(@Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.alerts.snapshot();
    this.send(req, res, s, 'application/json; charset=utf-8', s.json);
  }

  /** `GET /public/alerts/<id>.cap`: one message of the feed as CAP 1.2 XML. */
  @Get('alerts/:file')
  async cap(@Param('file') file: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const s = await this.alerts.snapshot();
    const id = /^([0-9a-f-]{36})\.cap$/.exec(file)?.[1];
    this.send(req, res, s, 'application/cap+xml; charset=utf-8', id ? s.cap.get(id) : undefined);
  }
}
