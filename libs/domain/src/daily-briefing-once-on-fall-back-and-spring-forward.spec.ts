import { briefingDue, briefingPeriod, localDateOf, localTimeInstant } from './sitrep';

const TZ = 'America/Los_Angeles';

/** Steps a clock minute by minute from `from` to `to`, producing briefings as a scheduler would; answers the instants produced per local date. */
function runClock(from: string, to: string, localTime: string, briefedBefore: string): Map<string, Date[]> {
  const made = new Map<string, Date[]>();
  let last: string | null = briefedBefore;
  for (let t = Date.parse(from); t <= Date.parse(to); t += 60_000) {
    const due = briefingDue(new Date(t), localTime, TZ, last);
    if (due) {
      made.set(due, [...(made.get(due) ?? []), new Date(t)]);
      last = due;
    }
  }
  return made;
}

describe('daily briefing runs once per local date, across daylight-saving changes', () => {
  it('fall-back day (2016-11-06): 01:30 happens twice, the briefing once, at the first 01:30 (PDT)', () => {
    const made = runClock('2016-11-05T12:00:00Z', '2016-11-07T12:00:00Z', '01:30', '2016-11-05');
    expect([...made.keys()]).toEqual(['2016-11-06', '2016-11-07']);
    expect(made.get('2016-11-06')).toEqual([new Date('2016-11-06T08:30:00Z')]); // 01:30 PDT (UTC-7)
    expect(made.get('2016-11-07')).toEqual([new Date('2016-11-07T09:30:00Z')]); // 01:30 PST (UTC-8)
  });

  it('spring-forward day (2017-03-12): 02:30 does not exist, the briefing runs once at 03:30 PDT', () => {
    const made = runClock('2017-03-11T12:00:00Z', '2017-03-13T12:00:00Z', '02:30', '2017-03-11');
    expect([...made.keys()]).toEqual(['2017-03-12', '2017-03-13']);
    expect(made.get('2017-03-12')).toEqual([new Date('2017-03-12T10:30:00Z')]);
    expect(made.get('2017-03-13')).toEqual([new Date('2017-03-13T09:30:00Z')]);
  });

  it('a clock that jumps (a drill at speed, a restart) still briefs each date once, and never a date twice when the clock steps back', () => {
    // Checks only every 7 hours: the briefing comes at the first check after 06:00, once.
    let last: string | null = null;
    const dates: string[] = [];
    for (let t = Date.parse('2016-12-31T08:00:00Z'); t < Date.parse('2017-01-07T08:00:00Z'); t += 7 * 3600_000) {
      const due = briefingDue(new Date(t), '06:00', TZ, last);
      if (due) dates.push((last = due));
    }
    expect(dates).toEqual(['2016-12-31', '2017-01-01', '2017-01-02', '2017-01-03', '2017-01-04', '2017-01-05', '2017-01-06']);
    // A clock set back by an hour after the briefing does not brief the same date again.
    expect(briefingDue(new Date('2017-01-06T15:00:00Z'), '06:00', TZ, '2017-01-06')).toBeNull();
  });

  it('before the local time nothing is due; the period spans 25 hours on the fall-back day and 23 on the spring-forward day', () => {
    expect(briefingDue(new Date('2016-12-31T13:59:00Z'), '06:00', TZ, null)).toBeNull(); // 05:59 PST
    expect(briefingDue(new Date('2016-12-31T14:00:00Z'), '06:00', TZ, null)).toBe('2016-12-31');
    const fall = briefingPeriod('2016-11-06', '06:00', TZ);
    expect((fall.to.getTime() - fall.from.getTime()) / 3600_000).toBe(25);
    const spring = briefingPeriod('2017-03-12', '06:00', TZ);
    expect((spring.to.getTime() - spring.from.getTime()) / 3600_000).toBe(23);
    expect(localDateOf(new Date('2017-01-01T07:59:00Z'), TZ)).toBe('2016-12-31');
  });

  it('refuses a malformed local time and an unknown zone, naming them', () => {
    expect(() => localTimeInstant('2017-01-01', '24:00', TZ)).toThrow(/localTime 24:00/);
    expect(() => localTimeInstant('2017-01-01', '6:00', TZ)).toThrow(/localTime/);
    expect(() => localDateOf(new Date(), 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});
