import { subscription } from './socket';
import { onWorldViewChange, setWorldView, worldView } from './world';

/**
 * The server sends a drill world's events only to sockets that ask for them: the console asks only
 * while the exercise view is shown (a console on live work gets no drill move-up steps to reload its
 * live move-ups for), and a switch of the view is told to the socket's listener so it follows the
 * world chosen. Hostile twin: the live view never asks for drills, whatever `lastSeq` is.
 */
describe('the console asks for drill events only in the exercise view', () => {
  // No DOM here (node): the switch has no header to paint.
  const g = globalThis as { document?: unknown };
  beforeAll(() => {
    g.document = { getElementById: () => null };
  });
  afterAll(() => {
    delete g.document;
  });

  it('subscribes with drills in the exercise view only, and tells a switch', () => {
    expect(subscription(12, 'exercise')).toEqual({ lastSeq: 12, drills: true });
    expect(subscription(12, 'live')).toEqual({ lastSeq: 12, drills: false });
    expect(subscription(null, 'live')).toEqual({ lastSeq: null, drills: false });

    let told = 0;
    onWorldViewChange(() => told++);
    setWorldView('exercise');
    expect(worldView()).toBe('exercise');
    expect(subscription(5)).toEqual({ lastSeq: 5, drills: true });
    setWorldView('exercise'); // no switch: nothing told
    setWorldView('live');
    expect(subscription(5)).toEqual({ lastSeq: 5, drills: false });
    expect(told).toBe(2);
  });
});
