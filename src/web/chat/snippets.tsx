/**
 * Canned responses in the composer: typing `/` and a few letters offers the staff member's snippets, and choosing
 * one replaces the `/word` with its text, variables filled in. Only screens that provide a SnippetContext (the
 * staff console) get the menu; the portal and the widget provide none, so customers never fetch or see it.
 */
import { useQuery } from "@tanstack/react-query";
import {
  createContext,
  type KeyboardEvent,
  type ReactNode,
  useContext,
  useEffect,
  useId,
  useMemo,
  useState,
} from "react";
import type { CannedResponse } from "../../protocol/canned";
import { type CannedContext, fillVariables } from "../../protocol/canned-variables";
import { api } from "../lib/api";
import type { Page } from "../lib/types";
import { insertSnippet, matchSnippets, slashToken } from "./snippet-match";

export const cannedPath = "/canned-responses";

const SnippetContext = createContext<CannedContext | null>(null);

/** What the snippets of this conversation are filled in with: its customer, the agent, the tenant, its number. */
export function SnippetProvider({ value, children }: { value: CannedContext; children: ReactNode }) {
  return <SnippetContext.Provider value={value}>{children}</SnippetContext.Provider>;
}

/** The shared snippets and the caller's own, in one list (the API allows 200 a page, plenty for a menu). */
function useCannedResponses(enabled: boolean) {
  return useQuery({
    queryKey: [cannedPath, "menu"],
    queryFn: () => api.get<Page<CannedResponse>>(cannedPath, { limit: 200 }),
    enabled,
    staleTime: 60_000,
    select: (page) => page.items,
  });
}

export interface SnippetMenuOptions {
  text: string;
  caret: number;
  /** Puts the new text in the composer with the caret at `caret`. */
  apply: (text: string, caret: number) => void;
}

export interface SnippetMenu {
  /** The listbox, or null when nothing is offered. */
  menu: ReactNode;
  /** Call first in the textarea's keydown; true means the menu handled the key. */
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => boolean;
  /** ARIA wiring for the textarea: it keeps focus while the menu's active option is announced. */
  inputProps: {
    "aria-autocomplete"?: "list";
    "aria-controls"?: string;
    "aria-activedescendant"?: string;
  };
}

export function useSnippetMenu({ text, caret, apply }: SnippetMenuOptions): SnippetMenu {
  const context = useContext(SnippetContext);
  const listId = useId();
  const snippets = useCannedResponses(context !== null);
  const token = context ? slashToken(text, caret) : null;
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const query = token?.query;
  const start = token?.start;
  const matches = useMemo(
    () => (query !== undefined && snippets.data ? matchSnippets(snippets.data, query) : []),
    [query, snippets.data],
  );
  const open = context !== null && start !== undefined && start !== dismissedAt && matches.length > 0;
  const activeIndex = Math.min(active, matches.length - 1);
  const optionId = (i: number) => `${listId}-option-${i}`;

  // Each new word starts at the top; Escape holds only for the word it was pressed on.
  useEffect(() => setActive(0), [query, start]);
  useEffect(() => {
    if (start === undefined) setDismissedAt(null);
  }, [start]);
  useEffect(() => {
    if (open) document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: "nearest" });
  });

  const choose = (index: number) => {
    const snippet = matches[index];
    if (!snippet || !token || !context) return;
    const next = insertSnippet(text, token, caret, fillVariables(snippet.body, context));
    apply(next.text, next.caret);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!open || event.nativeEvent.isComposing) return false;
    switch (event.key) {
      case "ArrowDown":
        setActive((activeIndex + 1) % matches.length);
        break;
      case "ArrowUp":
        setActive((activeIndex - 1 + matches.length) % matches.length);
        break;
      case "Enter":
      case "Tab":
        if (event.shiftKey) return false;
        choose(activeIndex);
        break;
      case "Escape":
        setDismissedAt(start ?? null);
        break;
      default:
        return false;
    }
    event.preventDefault();
    event.stopPropagation();
    return true;
  };

  const menu = open ? (
    <div className="snippet-menu" data-testid="snippet-menu">
      <div id={listId} role="listbox" aria-label="Canned responses" className="snippet-list">
        {matches.map((s, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard stays in the textarea, which moves and picks the active option
          <div
            key={s.id}
            id={optionId(i)}
            role="option"
            tabIndex={-1}
            aria-selected={i === activeIndex}
            className={i === activeIndex ? "snippet-option snippet-option-active" : "snippet-option"}
            // Keeps the focus (and the caret) in the textarea.
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => setActive(i)}
            onClick={() => choose(i)}
            data-testid={`snippet-option-${s.shortcut}`}
          >
            <span className="snippet-head">
              <span className="snippet-shortcut">/{s.shortcut}</span>
              <span className="snippet-title">{s.title}</span>
              {s.scope === "personal" && <span className="snippet-scope">Personal</span>}
            </span>
            <span className="snippet-preview">{fillVariables(s.body, context)}</span>
          </div>
        ))}
      </div>
      <p className="snippet-help" aria-hidden="true">
        ↑ ↓ to choose · Enter or Tab to insert · Esc to close
      </p>
      <span className="visually-hidden" role="status">
        {matches.length === 1 ? "1 canned response" : `${matches.length} canned responses`}; use the arrow
        keys to choose and Enter to insert.
      </span>
    </div>
  ) : null;

  return {
    menu,
    onKeyDown,
    inputProps: context
      ? {
          "aria-autocomplete": "list",
          "aria-controls": open ? listId : undefined,
          "aria-activedescendant": open ? optionId(activeIndex) : undefined,
        }
      : {},
  };
}
