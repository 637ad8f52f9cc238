import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { api, errorMessage } from "../lib/api";
import { type Conversation, conversationKey, conversationsPath } from "../lib/chat";
import { Alert, Button } from "../ui";

const stars = [1, 2, 3, 4, 5] as const;

function Stars({ value, label }: { value: number; label?: string }) {
  return (
    <span className="stars" role="img" aria-label={label ?? `${value} of 5 stars`}>
      {stars.map((s) => (
        <span key={s} aria-hidden="true" className={s <= value ? "star star-on" : "star"}>
          ★
        </span>
      ))}
    </span>
  );
}

/** After a chat is resolved or closed the customer rates it once; afterwards the rating is shown instead. */
export function RatingForm({ conversation }: { conversation: Conversation }) {
  const client = useQueryClient();
  return (
    <StarRating
      rating={conversation.rating}
      rate={async (body) => {
        const fresh = await api.post<Conversation>(`${conversationsPath}/${conversation.id}/rating`, body);
        client.setQueryData(conversationKey(conversation.id), fresh);
        void client.invalidateQueries({ queryKey: [conversationsPath] });
      }}
    />
  );
}

/** 1–5 stars and an optional comment, sent once through `rate`; chats and tickets are rated the same way. */
export function StarRating({
  rating,
  rate: send,
}: {
  rating: number | null;
  rate: (body: { score: number; comment?: string }) => Promise<void>;
}) {
  const commentId = useId();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState("");
  const rate = useMutation({
    mutationFn: () => send({ score, ...(comment.trim() ? { comment: comment.trim() } : {}) }),
  });

  if (rating !== null) {
    return (
      <div className="rating rating-done" data-testid="rating-done">
        <span>Thanks for your feedback</span>
        <Stars value={rating} />
      </div>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (score) rate.mutate();
  };
  return (
    <form className="rating" onSubmit={submit} data-testid="rating-form">
      <fieldset className="rating-stars">
        <legend>How did we do?</legend>
        {stars.map((s) => (
          <button
            key={s}
            type="button"
            className={s <= score ? "star-button star-on" : "star-button"}
            aria-pressed={s === score}
            aria-label={`${s} star${s > 1 ? "s" : ""}`}
            onClick={() => setScore(s)}
            data-testid={`rating-star-${s}`}
          >
            ★
          </button>
        ))}
      </fieldset>
      <label htmlFor={commentId} className="visually-hidden">
        Comment
      </label>
      <textarea
        id={commentId}
        className="input"
        rows={2}
        maxLength={2000}
        placeholder="Anything to add? (optional)"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        data-testid="rating-comment"
      />
      {rate.isError && <Alert tone="danger">{errorMessage(rate.error)}</Alert>}
      <Button
        type="submit"
        variant="primary"
        size="sm"
        disabled={!score}
        busy={rate.isPending}
        data-testid="rating-submit"
      >
        Send rating
      </Button>
    </form>
  );
}
