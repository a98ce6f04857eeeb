import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Allow, CurrentUser, Principal } from '../../auth/principal';
import { AdminSession } from '../../auth/admin-session';

/** Renewal of the admin pages' browser session. */
@ApiTags('Admin')
@Controller('admin')
export class AdminSessionController {
  constructor(private readonly session: AdminSession) {}

  /** `POST /api/admin/session` (bearer, city commander): sets a fresh admin cookie for `/admin/queues`; `204`. */
  @Allow('city_commander')
  @Post('session')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the cookie `cad_admin` (HttpOnly, path /admin) is set' })
  renew(@CurrentUser() user: Principal, @Req() req: Request, @Res({ passthrough: true }) res: Response): void {
    this.session.grant(res, req, user);
  }
}
