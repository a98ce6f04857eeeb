import { currentTier, parentTier } from './command-chain';

describe('the current tier of an incident', () => {
  it('is the stored commanding tier when it names one', () => {
    expect(currentTier({ commandingTier: 'street' })).toBe('street');
    expect(currentTier({ commandingTier: 'district' })).toBe('district');
    expect(currentTier({ commandingTier: 'city' })).toBe('city');
  });

  it('is street, where every incident starts, for an empty, unknown or differently cased value', () => {
    for (const v of ['', 'region', 'City', ' district', 'undefined']) expect(currentTier({ commandingTier: v })).toBe('street');
    // A row read without the column (an old view) does not stop the chain: escalation goes on from street.
    expect(currentTier({} as { commandingTier: string })).toBe('street');
    expect(parentTier(currentTier({ commandingTier: 'nonsense' }))).toBe('district');
  });
});
