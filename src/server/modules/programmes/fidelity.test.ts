import { describe, expect, it } from 'vitest';
import { adherence, checklistOf } from './fidelity.ts';

describe('fidelity checklist', () => {
  it("takes its items from the session's curriculum entry", () => {
    expect(checklistOf({ strand: 'The couple relationship', topic: 'Talking and listening', splitByGender: false, childrenJoin: false }).map((i) => i.key)).toEqual(['topic', 'strand']);
    expect(checklistOf({ strand: 'The parent–child relationship', topic: 'Split', splitByGender: true, childrenJoin: true }).map((i) => i.key)).toEqual(['topic', 'strand', 'split_groups', 'children_join']);
    expect(checklistOf({ strand: '', topic: '', splitByGender: false, childrenJoin: false })).toEqual([]);
  });

  it('scores covered as one, partly as a half, and leaves unrated items out', () => {
    expect(adherence([null, null])).toEqual({ rated: 0, of: 2, percent: null });
    expect(adherence(['covered', 'partly', null])).toEqual({ rated: 2, of: 3, percent: 75 });
    expect(adherence(['covered', 'not_covered', 'not_covered'])).toEqual({ rated: 3, of: 3, percent: 33 });
  });
});
