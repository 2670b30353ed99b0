import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../decide';
import { DEFAULT_MODEL } from '../defaultModel';
import { normaliseRecord } from '../normaliseRecord';
import { heldBackCheck, heldBackFigures, type HeldBackCase } from './heldBackCheck';

const record = (id: string, given: string, family: string, dob: string, city: string) =>
  normaliseRecord({
    external_id: id,
    source: 's',
    given_name: given,
    family_name: family,
    date_of_birth: dob,
    city,
    attributes: {},
  });

const golden = (id: string, ...members: Array<ReturnType<typeof record>>) => ({
  goldenId: id,
  members: members.map((normalised, i) => ({ recordId: `${id}-${i}`, normalised })),
});

/** The same person with a typo (reviewers said so), and a namesake born 30 years later elsewhere (also said so). */
const CASES: HeldBackCase[] = [
  {
    record: record('a2', 'Katharina', 'Obermaier', '1961-04-12', 'Passau'),
    golden: golden('g1', record('a1', 'Katarina', 'Obermaier', '1961-04-12', 'Passau')),
    samePerson: true,
    source: 'reviewer',
  },
  {
    record: record('b2', 'Jonas', 'Weber', '1991-07-02', 'Freiburg'),
    golden: golden('g2', record('b1', 'Jonas', 'Weber', '1961-03-20', 'Bremen')),
    samePerson: false,
    source: 'reviewer',
  },
  {
    record: record('c2', 'Wilhelmine', 'Rautenstrauch', '1944-11-30', 'Trier'),
    golden: golden('g3', record('c1', 'Wilhelmine', 'Rautenstrauch', '1944-11-30', 'Trier')),
    samePerson: true,
    source: 'confident_decision',
  },
];

describe('the held-back check', () => {
  it('counts right answers, false links and people left apart, reviewer verdicts apart', () => {
    const f = heldBackFigures(DEFAULT_MODEL, DEFAULT_POLICY, CASES);
    expect(f.cases).toBe(3);
    expect(f.right + f.falseLinks + f.missedLinks + f.reviews).toBe(3);
    expect(f.falseLinks).toBe(0);
    expect(f.reviewer.cases).toBe(2);
  });

  it('accepts a model that decides as the active one does', () => {
    const verdict = heldBackCheck(
      { ...DEFAULT_MODEL, version: 'same' },
      DEFAULT_MODEL,
      DEFAULT_POLICY,
      CASES,
    );
    expect(verdict.accepted).toBe(true);
    expect(verdict.candidate).toEqual(verdict.active);
  });

  it('rejects a model that believes everyone is a match: it links the namesake', () => {
    const credulous = { ...DEFAULT_MODEL, version: 'credulous', matchProbability: 0.999999 };
    const verdict = heldBackCheck(credulous, DEFAULT_MODEL, DEFAULT_POLICY, CASES);
    expect(verdict.candidate.falseLinks).toBeGreaterThan(verdict.active.falseLinks);
    expect(verdict.accepted).toBe(false);
    expect(verdict.reason).toMatch(/false links/);
  });

  it('rejects a model that believes nobody is a match: it leaves the same person apart', () => {
    const sceptic = { ...DEFAULT_MODEL, version: 'sceptic', matchProbability: 1e-12 };
    const verdict = heldBackCheck(sceptic, DEFAULT_MODEL, DEFAULT_POLICY, CASES);
    expect(verdict.candidate.missedLinks).toBeGreaterThan(verdict.active.missedLinks);
    expect(verdict.accepted).toBe(false);
  });
});
