/**
 * Default m/u parameters, used until `nexus train` estimates better ones for a deployment.
 *
 * u (chance agreement of two different people) follows population statistics: ~1/3,000 of pairs
 * share a family name, ~1/250 a given name, ~1/10,000 a full date of birth (ages are not uniform),
 * a unique identifier is shared by chance at most once in ~100,000 pairs. m (agreement of two
 * records of one person) describes ordinary registration data: most fields agree exactly, a
 * tenth to a fifth carry a typo, a few percent were replaced altogether. The values were checked
 * against level frequencies in the public FEBRL and Splink data sets and rounded, not fitted to
 * any one of them. Each level's weight is log2(m/u) (in brackets below, before term frequency).
 */
import type { FieldParams, LevelParams, MatchModel } from './model';

const level = (name: string, m: number, u: number, tf = false): LevelParams =>
  tf ? { level: name, m, u, tf } : { level: name, m, u };

function field(...levels: LevelParams[]): FieldParams {
  return { levels };
}

export const DEFAULT_MODEL: MatchModel = {
  version: 'default-2025.1',
  // About 1 pair in 1,000 is a match in a batch of a few thousand records with duplicates (the
  // labelled sets range from 1 in 10,000 to 1 in 250); a deployment re-estimates it by EM.
  matchProbability: 1e-3,
  // A value held by 1 record in 20,000 or fewer is treated as that rare, no rarer.
  tfMinimumU: 5e-5,
  fields: {
    // exact (+7.3, less for common names), nickname bob/robert (+4.3), Jaro-Winkler >= 0.92 (+6.4),
    // given and family written in each other's place (+5.6 on each name), same Double Metaphone
    // code (+2.6), Jaro-Winkler >= 0.8 (+2.6), an initial that agrees (+2.3), different (-3.0).
    given_name: field(
      level('exact', 0.62, 0.004, true),
      level('nickname', 0.02, 0.001),
      level('close', 0.13, 0.0015),
      level('swapped', 0.05, 0.001),
      level('phonetic', 0.015, 0.0025),
      level('similar', 0.03, 0.005),
      level('initial', 0.01, 0.002),
      level('different', 0.12, 0.99),
    ),
    // exact (+6.1), one side an initial of the other (+1.7), close (+5.1), different (-3.2).
    middle_name: field(
      level('exact', 0.7, 0.01, true),
      level('initial', 0.1, 0.03),
      level('close', 0.1, 0.003),
      level('different', 0.1, 0.95),
    ),
    // exact (+7.7, up to +13.6 for a rare name), close (+7.2), swapped (+5.6), phonetic (+3.3),
    // similar (+3.3), different (-3.3).
    family_name: field(
      level('exact', 0.62, 0.003, true),
      level('close', 0.18, 0.0012),
      level('swapped', 0.05, 0.001),
      level('phonetic', 0.01, 0.001),
      level('similar', 0.03, 0.003),
      level('different', 0.1, 0.99),
    ),
    // exact (+13.1, less for a common date), partial dates agreeing to the month (+9.8) or year
    // (+6.5), day and month swapped (+9.0), one keying error in the digits (+5.4), within 31
    // days (+3.7), two errors (+0.7), within a year (-0.4), years apart (-6.0): two people
    // sharing a common name are told apart by their dates, so a date years off must outweigh
    // agreement on a common given and family name. Years apart on the same day and month (-6.0)
    // weighs as years apart until EM on the data at hand finds years replaced that way more often
    // than by chance (RLdata500 replaces one part of a date: about +3 learned there).
    date_of_birth: field(
      level('exact', 0.715, 0.0001, true),
      level('same_month', 0.009, 0.00001),
      level('same_year', 0.009, 0.0001),
      level('swapped_day_month', 0.005, 0.00001),
      level('typo', 0.06, 0.0012),
      level('within_month', 0.04, 0.0015),
      level('two_typos', 0.04, 0.012),
      level('within_year', 0.02, 0.02),
      level('same_day_and_month', 0.00004, 0.0025),
      level('different', 0.015, 0.95),
    ),
    // exact (+0.96), different (-4.1): a weak tie-breaker, strong only when it disagrees.
    gender: field(level('exact', 0.97, 0.5), level('different', 0.03, 0.5)),
    // exact (+16.4), one keying error (+9.2), two (+3.0),
    // different (-4.3): ids are sometimes mistyped or replaced, so a mismatch is not a veto.
    national_id: field(
      level('exact', 0.88, 0.00001),
      level('typo', 0.06, 0.0001),
      level('two_typos', 0.004, 0.0005),
      level('different', 0.05, 1),
    ),
    // exact (+15.9), same mailbox at another domain (+7.6), Jaro-Winkler >= 0.92 (+8.2),
    // different (-2.7: people hold several addresses).
    email: field(
      level('exact', 0.6, 0.00001),
      level('same_local_part', 0.1, 0.0005),
      level('close', 0.15, 0.0005),
      level('different', 0.15, 1),
    ),
    // exact (+16.1), one keying error (+9.0), different (-2.0: numbers change).
    phone: field(level('exact', 0.7, 0.00001), level('typo', 0.05, 0.0001), level('different', 0.25, 1)),
    // exact (+5.8), different (-2.7).
    street_number: field(level('exact', 0.85, 0.015, true), level('different', 0.15, 0.985)),
    // exact (+10.3), same street name with another type or a typo (+8.6), similar (+6.2), different (-3.3).
    street: field(
      level('exact', 0.62, 0.0008, true),
      level('close', 0.12, 0.0003),
      level('similar', 0.15, 0.002),
      level('different', 0.1, 0.997),
    ),
    // exact (+8.9), close (+7.6), similar (+2.3), different (-3.8).
    locality: field(
      level('exact', 0.7, 0.0015, true),
      level('close', 0.2, 0.001),
      level('similar', 0.01, 0.002),
      level('different', 0.07, 0.997),
    ),
    // Cities are coarser than localities: exact (+5.1), close (+3.9), similar (+2.3), different (-3.2).
    city: field(
      level('exact', 0.7, 0.02, true),
      level('close', 0.15, 0.01),
      level('similar', 0.05, 0.01),
      level('different', 0.1, 0.95),
    ),
    // exact (+9.6), one keying error (+3.4), different (-4.3).
    postcode: field(
      level('exact', 0.8, 0.001, true),
      level('typo', 0.15, 0.014),
      level('different', 0.05, 0.985),
    ),
    // exact (+2.2), different (-4.0).
    state: field(level('exact', 0.95, 0.2), level('different', 0.05, 0.8)),
    // exact (+1.0), different (-4.0).
    country: field(level('exact', 0.97, 0.5), level('different', 0.03, 0.5)),
    // exact (+6.3), close (+5.6), similar (+2.6), different (-3.8).
    birth_place: field(
      level('exact', 0.8, 0.01, true),
      level('close', 0.1, 0.002),
      level('similar', 0.03, 0.005),
      level('different', 0.07, 0.98),
    ),
  },
};
