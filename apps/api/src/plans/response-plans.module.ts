import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ResponsePlansController } from './response-plans.controller';
import { ResponsePlansService } from './response-plans.service';

/** Response plans (what each call type and priority sends) and their editing; exports `ResponsePlansService`. */
@Module({
  imports: [AuthModule],
  controllers: [ResponsePlansController],
  providers: [ResponsePlansService],
  exports: [ResponsePlansService],
})
export class ResponsePlansModule {}
