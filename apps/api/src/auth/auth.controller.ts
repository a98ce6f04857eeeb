import { Body, Controller, Get, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { IsString, Length } from 'class-validator';
import { AuthService } from './auth.service';
import { AdminCookieOnSignIn } from '../platform/queue-dashboard/admin-session';
import { CurrentUser, Principal, Public } from './principal';

/** `POST /api/auth/sign-in` body. */
export class SignInDto {
  @Length(1, 80) @IsString({ message: 'username must be a string' }) username: string;
  @Length(1, 200) @IsString({ message: 'password must be a string' }) password: string;
}

/** Sign-in and who-am-I. */
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** `POST /api/auth/sign-in {username, password}` → `200 {token, expiresInSeconds, user}`; `401` when wrong; rate-limited per address. A city commander also gets the queue dashboard's cookie. */
  @Public()
  @Throttle({ signin: {} })
  @UseInterceptors(AdminCookieOnSignIn)
  @Post('sign-in')
  @HttpCode(200)
  signIn(@Body() dto: SignInDto) {
    return this.auth.signIn(dto.username, dto.password);
  }

  /** `GET /api/auth/me`: the signed-in post. */
  @Get('me')
  me(@CurrentUser() user: Principal) {
    return user;
  }
}
