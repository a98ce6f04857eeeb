import { NO_FEATURES } from '../features';
import { radioSteps } from './detail';

const ALL = { ...NO_FEATURES, acknowledged: true, transporting: true };

describe('the statuses a dispatcher may record for a crew reporting by radio', () => {
  it('walks a task one step at a time: acknowledged, en route, on scene', () => {
    expect(radioSteps({ status: 'dispatched', capability: 'engine' }, ALL)).toEqual(['acknowledged']);
    expect(radioSteps({ status: 'acknowledged', capability: 'engine' }, ALL)).toEqual(['en_route']);
    expect(radioSteps({ status: 'en_route', capability: 'engine' }, ALL)).toEqual(['on_scene']);
  });

  it('offers transporting only to an ambulance, and cleared from on scene or at hospital', () => {
    expect(radioSteps({ status: 'on_scene', capability: 'engine' }, ALL)).toEqual(['cleared']);
    expect(radioSteps({ status: 'on_scene', capability: 'ambulance' }, ALL)).toEqual(['transporting', 'cleared']);
    expect(radioSteps({ status: 'transporting', capability: 'ambulance' }, ALL)).toEqual(['at_hospital']);
    expect(radioSteps({ status: 'at_hospital', capability: 'ambulance' }, ALL)).toEqual(['cleared']);
  });

  it('skips the steps an older server does not accept', () => {
    expect(radioSteps({ status: 'dispatched', capability: 'engine' }, NO_FEATURES)).toEqual(['en_route']);
    expect(radioSteps({ status: 'on_scene', capability: 'ambulance' }, NO_FEATURES)).toEqual(['cleared']);
  });

  it('offers nothing on a task that is over or was taken back', () => {
    expect(radioSteps({ status: 'cleared', capability: 'engine' }, ALL)).toEqual([]);
    expect(radioSteps({ status: 'dispatched', capability: 'engine', releasedReason: 'not_acknowledged' }, ALL)).toEqual([]);
  });
});
