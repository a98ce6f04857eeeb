import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { IsBoolean, IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { isUnitId, noControl, notBlank, uuidParam } from '../common/validation';
import { ClientAddress } from './audit.service';
import { Allow, CurrentUser, Principal, Role, ROLES } from './principal';
import { UsersService } from './users.service';

/** A username: lower-case letters, digits, `.`, `_`, `-`, 2 to 80 long, starting with a letter or digit. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,79}$/;

/** `POST /api/users`. */
export class CreateUserDto {
  @Matches(USERNAME, { message: 'username must be 2-80 lower-case letters, digits, dots, dashes or underscores' }) username: string;
  @Length(1, 200) @notBlank('displayName') @noControl('displayName') displayName: string;
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }) role: Role;
  @IsOptional() @IsString() @Length(1, 120) jurisdictionId?: string;
  @IsOptional() @isUnitId('unitId') unitId?: string;
  @Length(1, 200) @IsString({ message: 'password must be a string' }) password: string;
}

/** `PATCH /api/users/:id`: any of name, post (role, jurisdiction, unit; `null` clears) and `disabled`. */
export class UpdateUserDto {
  @IsOptional() @Length(1, 200) @notBlank('displayName') @noControl('displayName') displayName?: string;
  @IsOptional() @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` }) role?: Role;
  @ValidateIf((_, v) => v !== undefined && v !== null) @IsString() @Length(1, 120) jurisdictionId?: string | null;
  @ValidateIf((_, v) => v !== undefined && v !== null) @isUnitId('unitId') unitId?: string | null;
  @IsOptional() @IsBoolean({ message: 'disabled must be true or false' }) disabled?: boolean;
}

/** `POST /api/users/:id/password`. */
export class ResetPasswordDto {
  @Length(1, 200) @IsString({ message: 'password must be a string' }) password: string;
}

/** Accounts, managed by the city commander only. Every change is on the audit trail. */
@Controller('users')
@Allow('city_commander')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** `GET /api/users`: every account (never a password hash). */
  @Get()
  list() {
    return this.users.list();
  }

  /** `POST /api/users {username, displayName, role, jurisdictionId | unitId, password}` → `201` the account; `409` when the username is taken. */
  @Post()
  create(@Body() dto: CreateUserDto, @CurrentUser() actor: Principal, @ClientAddress() source: string | null) {
    return this.users.create(actor, source, { ...dto, jurisdictionId: dto.jurisdictionId ?? null, unitId: dto.unitId ?? null });
  }

  /** `PATCH /api/users/:id {displayName?, role?, jurisdictionId?, unitId?, disabled?}`: a new post or a disable ends the account's sessions. */
  @Patch(':id')
  update(@Param('id', uuidParam('a user id')) id: string, @Body() dto: UpdateUserDto, @CurrentUser() actor: Principal, @ClientAddress() source: string | null) {
    return this.users.update(actor, source, id, dto);
  }

  /** `POST /api/users/:id/password {password}`: resets the password and ends the account's sessions. */
  @Post(':id/password')
  resetPassword(@Param('id', uuidParam('a user id')) id: string, @Body() dto: ResetPasswordDto, @CurrentUser() actor: Principal, @ClientAddress() source: string | null) {
    return this.users.setPassword(actor, source, id, dto.password);
  }
}
