/**
 * A bounded memo of a pure, symmetric function of two strings
 * (docs/decisions/0060-memoised-field-comparisons.md). A register repeats its values (common
 * given and family names, towns, streets), so one decision run compares the same two values
 * again and again: the answer is looked up instead of computed.
 *
 * Two levels of Map, not one Map on a joined key: a joined key is a new string per lookup (to
 * allocate, flatten and hash), while a record's values are long-lived strings whose hash V8
 * keeps, so the lookup allocates nothing. The pair is put in a fixed order so that (a, b) and
 * (b, a) share an entry, which is why the function must be symmetric. When more than `limit`
 * answers are held the memo starts afresh: no least-recently-used bookkeeping on every hit, and
 * memory stays bounded whatever the register.
 */
/** Off only inside withoutMemos: the equivalence test decides a data set both ways. */
let memoising = true;

/**
 * Runs `work` with every memo bypassed (each answer computed afresh), then turns them back on:
 * for the test that proves memoised decisions identical, never for production.
 */
export function withoutMemos<T>(work: () => T): T {
  memoising = false;
  try {
    return work();
  } finally {
    memoising = true;
  }
}

export class PairMemo<V extends string | number> {
  private byFirst = new Map<string, Map<string, V>>();
  private size = 0;

  constructor(
    private readonly compute: (a: string, b: string) => V,
    private readonly limit = 200_000,
  ) {}

  get(a: string, b: string): V {
    if (!memoising) return this.compute(a, b);
    const inOrder = a <= b;
    const first = inOrder ? a : b;
    const second = inOrder ? b : a;
    let bySecond = this.byFirst.get(first);
    const known = bySecond?.get(second);
    if (known !== undefined) return known;
    if (this.size >= this.limit) {
      this.clear();
      bySecond = undefined;
    }
    if (bySecond === undefined) {
      bySecond = new Map<string, V>();
      this.byFirst.set(first, bySecond);
    }
    const value = this.compute(first, second);
    bySecond.set(second, value);
    this.size++;
    return value;
  }

  clear(): void {
    this.byFirst = new Map();
    this.size = 0;
  }
}
