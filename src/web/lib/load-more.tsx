import { Button } from "../ui";

/** The "Load more" button under a paged list (usePagedList), shown while the server has another page. */
export function LoadMore({
  list,
  testId,
}: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  testId: string;
}) {
  if (!list.hasNextPage) return null;
  return (
    <Button onClick={() => list.fetchNextPage()} busy={list.isFetchingNextPage} data-testid={testId}>
      Load more
    </Button>
  );
}
