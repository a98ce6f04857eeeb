import { Controller, Get, Query } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { isWorld } from '../common/validation';
import { CurrentUser, Principal } from '../auth/principal';
import { Forbidden, NotFound } from '../common/errors';
import { JurisdictionIndex } from '@cad/domain';
import { AccessService } from '../auth/access.service';
import { CoverageService } from './coverage.service';

/** Query of `GET /api/coverage`. */
export class CoverageQuery {
  @IsOptional() @IsString() @MaxLength(120) jurisdictionId?: string;
  /** `live` (default) or a drill run id: whose fleet is counted. */
  @IsOptional() @IsString() @isWorld('world') world?: string;
}

/** Street coverage (NFPA 1710 travel targets) and move-up recommendations. */
@Controller('coverage')
export class CoverageController {
  constructor(
    private readonly coverage: CoverageService,
    private readonly access: AccessService,
    private readonly index: JurisdictionIndex,
  ) {}

  /**
   * `GET /api/coverage?jurisdictionId=&world=`: per street (units of one world, default `live`), covered or not (an available engine within
   * 240 s and ALS within 480 s), demand-weighted share, and up to three move-ups that raise it.
   * Defaults to the viewer's own jurisdiction; `404` for an unknown one, `403` outside the viewer's.
   */
  @Get()
  get(@Query() q: CoverageQuery, @CurrentUser() user: Principal) {
    const jid = q.jurisdictionId ?? user.jurisdictionId ?? undefined;
    if (q.jurisdictionId && !this.index.get(q.jurisdictionId)) throw new NotFound('jurisdiction', q.jurisdictionId);
    if (jid && !this.access.coversJurisdiction(user, jid)) throw new Forbidden(`jurisdiction ${jid} is outside ${user.jurisdictionId}`);
    return this.coverage.report(jid, q.world);
  }
}
