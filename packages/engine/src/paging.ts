/**
 * A keyset page request. Forward: the `first` rows after the row `afterId` in the list's order
 * (from the start when null). With `backward`: the `first` rows just before the row `afterId`
 * (the last `first` rows when null), still returned in the list's order.
 */
export interface PageRequest {
  first: number;
  afterId: number | null;
  backward?: boolean;
}

/**
 * A page: its rows in the list's order, whether more rows lie beyond it in the direction it was
 * read (after it when forward, before it when backward), and how many rows the list holds.
 */
export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  totalCount: number;
}

/**
 * The page out of `rows`, read nearest the cursor first (up to `first + 1` of them, the extra one
 * telling whether more lie beyond): a backward read is put back in the list's order.
 */
export function pageFrom<T>(rows: T[], input: PageRequest, totalCount: number): Page<T> {
  const items = rows.slice(0, input.first);
  if (input.backward) items.reverse();
  return { items, hasNextPage: rows.length > input.first, totalCount };
}

/** SQL for a keyset step over an ascending list: the comparison and the order to read in. */
export function ascendingStep(input: PageRequest): { cmp: ">" | "<"; order: "ASC" | "DESC" } {
  return input.backward ? { cmp: "<", order: "DESC" } : { cmp: ">", order: "ASC" };
}

/** SQL for a keyset step over a descending (newest first) list. */
export function descendingStep(input: PageRequest): { cmp: ">" | "<"; order: "ASC" | "DESC" } {
  return input.backward ? { cmp: ">", order: "ASC" } : { cmp: "<", order: "DESC" };
}
