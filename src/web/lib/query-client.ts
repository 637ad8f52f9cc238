import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api";
import { meKey } from "./me";

/**
 * A 401 from any request means the session ended (expired, signed out elsewhere, user deactivated):
 * re-asking /me makes the area guard send the user to sign-in instead of leaving a page full of errors.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (err, query) => {
        if (isApiError(err, 401) && query.queryKey[0] !== meKey[0])
          void client.invalidateQueries({ queryKey: meKey });
      },
    }),
    mutationCache: new MutationCache({
      onError: (err) => {
        if (isApiError(err, 401)) void client.invalidateQueries({ queryKey: meKey });
      },
    }),
    defaultOptions: {
      queries: {
        // Client errors (403, 404…) will not change on a retry; network blips might.
        retry: (count, err) => !isApiError(err) && count < 2,
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}
