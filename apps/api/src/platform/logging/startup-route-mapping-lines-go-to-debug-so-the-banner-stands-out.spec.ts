import { ConsoleLogger, Logger } from '@nestjs/common';
import { quietStartupLogger } from './logger';

/**
 * What an independent tester saw: about 300 "Mapped {/api/..., GET} route" lines (and a drill dispatch
 * line every second) buried the "City CAD is up" banner. Nest's route-mapping and module-init lines now
 * go to debug level; every other line keeps its level.
 */
describe('the start-up logger', () => {
  const recorded = () => {
    const lines: { level: string; message: unknown; context: unknown }[] = [];
    const at = (level: string) => (message: unknown, ...rest: unknown[]) => lines.push({ level, message, context: rest.at(-1) });
    return { lines, inner: { log: at('info'), error: at('error'), warn: at('warn'), debug: at('debug'), verbose: at('verbose') } };
  };

  it('logs route mapping and module initialisation at debug, and the rest as it came', () => {
    const { lines, inner } = recorded();
    const log = quietStartupLogger(inner);
    log.log('Mapped {/api/calls, POST} route', 'RouterExplorer');
    log.log('CallsController {/api}:', 'RoutesResolver');
    log.log('AppModule dependencies initialized', 'InstanceLoader');
    log.log('City CAD is up on http://0.0.0.0:3000', 'Bootstrap');
    log.log('incident 1 (street): dispatched E1', 'Dispatch');
    log.warn('heartbeat not written', 'Outages');
    log.error('drill failed', 'stack', 'Drill');
    expect(lines.map((l) => [l.level, l.context])).toEqual([
      ['debug', 'RouterExplorer'],
      ['debug', 'RoutesResolver'],
      ['debug', 'InstanceLoader'],
      ['info', 'Bootstrap'],
      ['info', 'Dispatch'],
      ['warn', 'Outages'],
      ['error', 'Drill'],
    ]);
  });

  it('is what a Nest logger calls through: a Logger overridden with it sends route lines to debug', () => {
    const { lines, inner } = recorded();
    Logger.overrideLogger(quietStartupLogger(inner));
    try {
      new Logger('RouterExplorer').log('Mapped {/api/incidents, GET} route');
      new Logger('Bootstrap').log('City CAD is up');
    } finally {
      Logger.overrideLogger(new ConsoleLogger());
    }
    expect(lines.map((l) => [l.level, l.message])).toEqual([
      ['debug', 'Mapped {/api/incidents, GET} route'],
      ['info', 'City CAD is up'],
    ]);
  });
});
