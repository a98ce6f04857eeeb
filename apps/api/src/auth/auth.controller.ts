import { Body, Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { IsString, Length } from 'class-validator';
import { AuthService } from './auth.service';
import { AdminCookieOnSignIn } from './admin-session';
import { ClientAddress } from './audit.service';
import { FirstPasswordService } from './first-password.service';
import { Allow, CurrentUser, Principal, Public, ROLES } from './principal';
import { UsersService } from './users.service';

/** `POST /api/auth/sign-in` body. */
export class SignInDto {
  @Length(1, 80) @IsString({ message: 'username must be a string' }) username: string;
  @Length(1, 200) @IsString({ message: 'password must be a string' }) password: string;
}

/** `POST /api/auth/first-password` body. */
export class FirstPasswordDto {
  @Length(1, 200) @IsString({ message: 'token must be a string' }) token: string;
  @Length(1, 200) @IsString({ message: 'password must be a string' }) password: string;
}

/** `POST /api/auth/password` body. */
export class ChangePasswordDto {
  @Length(1, 200) @IsString({ message: 'currentPassword must be a string' }) currentPassword: string;
  @Length(1, 200) @IsString({ message: 'newPassword must be a string' }) newPassword: string;
}

/** Sign-in, sign-out, one's own password, who-am-I, and the first commander's first password. */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly firstPassword: FirstPasswordService,
  ) {}

  /** `POST /api/auth/sign-in {username, password}` → `200 {token, expiresInSeconds, user}`; `401` when wrong; rate-limited per address and account, across API nodes. A city commander also gets the queue dashboard's cookie. */
  @Public()
  @Throttle({ signin: {} })
  @UseInterceptors(AdminCookieOnSignIn)
  @Post('sign-in')
  @HttpCode(200)
  signIn(@Body() dto: SignInDto, @ClientAddress() source: string | null) {
    return this.auth.signIn(dto.username, dto.password, source);
  }

  /** `POST /api/auth/sign-out` → `204`: ends every session of the signed-in account (every device, open sockets included). */
  @Allow(...ROLES)
  @Post('sign-out')
  @HttpCode(204)
  async signOut(@CurrentUser() user: Principal, @ClientAddress() source: string | null): Promise<void> {
    await this.users.signOut(user, source);
  }

  /**
   * `POST /api/auth/password {currentPassword, newPassword}` → `200 {token, expiresInSeconds, user}`: changes
   * the signed-in account's own password, ends all its sessions and answers a new token; `403` when the
   * current password is wrong; rate-limited like sign-in.
   */
  @Allow(...ROLES)
  @Throttle({ signin: {} })
  @Post('password')
  @HttpCode(200)
  async changePassword(@Body() dto: ChangePasswordDto, @CurrentUser() user: Principal, @ClientAddress() source: string | null) {
    await this.users.changeOwnPassword(user, source, dto.currentPassword, dto.newPassword);
    return this.auth.signIn(user.username, dto.newPassword, source);
  }

  /**
   * `POST /api/auth/first-password {token, password}` → `200` the account: sets the first city
   * commander's password with the one-time token printed at the first start; `401` for a used or
   * expired token; rate-limited like sign-in.
   */
  @Public()
  @Throttle({ signin: {} })
  @Post('first-password')
  @HttpCode(200)
  setFirstPassword(@Body() dto: FirstPasswordDto, @ClientAddress() source: string | null) {
    return this.firstPassword.set(dto.token, dto.password, source);
  }

  /** `GET /api/auth/me`: the signed-in post. */
  @Get('me')
  me(@CurrentUser() user: Principal) {
    return user;
  }
}
