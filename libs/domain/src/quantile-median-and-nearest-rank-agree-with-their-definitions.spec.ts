import { median, nearestRank, quantile } from './statistics';

describe('quantile, median and nearest-rank percentile: one home, each true to its definition', () => {
  it('interpolates between order statistics (type 7), as R quantile() and numpy.percentile do', () => {
    // R: quantile(c(1, 2, 3, 4, 10), c(0, 0.25, 0.5, 0.9, 1)) -> 1, 2, 3, 7.6, 10
    const v = [10, 3, 1, 4, 2];
    expect(quantile(v, 0)).toBe(1);
    expect(quantile(v, 0.25)).toBe(2);
    expect(quantile(v, 0.5)).toBe(3);
    expect(quantile(v, 0.9)).toBeCloseTo(7.6, 12);
    expect(quantile(v, 1)).toBe(10);
    // numpy.percentile([15, 20, 35, 40, 50], 40) -> 29.0
    expect(quantile([15, 20, 35, 40, 50], 0.4)).toBeCloseTo(29, 12);
  });

  it('takes the middle value, or the mean of the two middle values, as the median', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([2, 2, 9, 9])).toBe(quantile([2, 2, 9, 9], 0.5));
  });

  it('answers one of the values at rank ceil(q n) for the nearest-rank percentile', () => {
    // Wikipedia "Percentile", nearest-rank examples: [15, 20, 35, 40, 50] -> p5 15, p30 20, p40 20, p50 35, p100 50.
    const v = [35, 50, 15, 40, 20];
    expect(nearestRank(v, 0.05)).toBe(15);
    expect(nearestRank(v, 0.3)).toBe(20);
    expect(nearestRank(v, 0.4)).toBe(20);
    expect(nearestRank(v, 0.5)).toBe(35);
    expect(nearestRank(v, 1)).toBe(50);
    const hundred = Array.from({ length: 100 }, (_, k) => 100 - k);
    expect(nearestRank(hundred, 0.99)).toBe(99);
    expect(nearestRank(hundred, 0.5)).toBe(50);
  });

  it('answers NaN for an empty list and never reorders the caller\'s list', () => {
    expect(quantile([], 0.5)).toBeNaN();
    expect(median([])).toBeNaN();
    expect(nearestRank([], 0.9)).toBeNaN();
    const v = [3, 1, 2];
    quantile(v, 0.5);
    median(v);
    nearestRank(v, 0.5);
    expect(v).toEqual([3, 1, 2]);
  });

  it('clamps a share outside 0..1 to the minimum or the maximum instead of reading past the list', () => {
    const v = [4, 8, 6];
    expect(quantile(v, -0.5)).toBe(4);
    expect(quantile(v, 1.5)).toBe(8);
    expect(nearestRank(v, 0)).toBe(4);
    expect(nearestRank(v, -1)).toBe(4);
    expect(nearestRank(v, 2)).toBe(8);
  });

  it('keeps one value and repeated values as they are', () => {
    expect(quantile([42], 0.9)).toBe(42);
    expect(nearestRank([42], 0.01)).toBe(42);
    expect(quantile([5, 5, 5, 5], 0.37)).toBe(5);
  });
});
