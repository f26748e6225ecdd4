/** How many items a list returns: by default, and at most (`?limit=`). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;
