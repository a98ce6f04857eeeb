import { Module } from '@nestjs/common';
import { ClockService } from './clock.service';

/** The clock of each world (live: the wall clock; a drill: its simulated time): exports `ClockService`. */
@Module({
  providers: [ClockService],
  exports: [ClockService],
})
export class ClockModule {}
