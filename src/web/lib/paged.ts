import { useInfiniteQuery } from "@tanstack/react-query";
import { api, type Query } from "./api";
import type { Page } from "./types";

/**
 * A cursor-paginated list (`{items, nextCursor}`) flattened for tables with a "Load more" button.
 * The query key includes the filters so changing one starts again from the first page.
 */
export function usePagedList<T>(path: string, filters: Query = {}) {
  const query = useInfiniteQuery({
    queryKey: [path, filters],
    queryFn: ({ pageParam }) => api.get<Page<T>>(path, { ...filters, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, items };
}
