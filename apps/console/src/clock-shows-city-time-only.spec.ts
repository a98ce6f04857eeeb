import { cityTime, setTimeZone } from './format';

describe('the header wall clock', () => {
  it('shows no time until the server names the city time zone, then the city time whatever the browser zone', () => {
    const at = Date.parse('2017-01-01T20:15:30Z');
    expect(cityTime(at)).toBeNull();
    setTimeZone('America/Los_Angeles');
    expect(cityTime(at)).toBe('12:15:30');
  });
});
