/**
 * One number of a typed array (or list) read at a computed offset. The simulator's image and
 * template loops index arrays by arithmetic; an offset off the end reads `undefined`, which
 * arithmetic turns into NaN and bit operations into 0 without a word, so a miss throws here and
 * names the array. A plain function at module level: the loader names closures, which would cost
 * a call per pixel, and V8 inlines this one.
 */
export function numberAt(array: ArrayLike<number>, index: number, what: string): number {
  const value = array[index];
  if (value === undefined) throw new RangeError(`${what} has no cell ${index} (length ${array.length})`);
  return value;
}
