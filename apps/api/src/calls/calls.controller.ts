import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CallsService } from './calls.service';
import { CreateCallDto } from './dto/create-call.dto';

/** `POST /api/calls`: a call for service enters the system. */
@Controller('calls')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  /** Answers `202 { id, duplicate }` once the call is stored and queued; `400` naming the field on bad input. */
  @Post()
  @HttpCode(202)
  create(@Body() dto: CreateCallDto) {
    return this.calls.accept(dto);
  }
}
