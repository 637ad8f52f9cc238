import { describe, expect, it } from "vitest";
import { insertSnippet, matchSnippets, type Snippet, slashToken } from "./snippet-match";

const snippet = (shortcut: string, title: string, scope: Snippet["scope"] = "tenant"): Snippet => ({
  id: `${scope}-${shortcut}`,
  shortcut,
  title,
  body: `${title} body`,
  scope,
});

const all = [
  snippet("hello", "Greeting"),
  snippet("card-lost", "Lost or stolen card"),
  snippet("thanks", "Thanks and goodbye"),
  snippet("help-desk", "Opening hours"),
  snippet("othello", "Chess"),
];

describe("the composer's / menu", () => {
  it("finds the /word before the caret, at the start or after a space", () => {
    expect(slashToken("/hel", 4)).toEqual({ start: 0, query: "hel" });
    expect(slashToken("Sure. /car", 10)).toEqual({ start: 6, query: "car" });
    expect(slashToken("line\n/", 6)).toEqual({ start: 5, query: "" });
    expect(slashToken("/hel and more", 4)).toEqual({ start: 0, query: "hel" });
    expect(slashToken("and/or", 6)).toBeNull();
    expect(slashToken("https://bank.test/help", 22)).toBeNull();
    expect(slashToken("/hel lo", 7)).toBeNull();
    expect(slashToken("no slash", 8)).toBeNull();
  });

  it("ranks shortcuts starting with the query first, then containing it, then titles", () => {
    expect(matchSnippets(all, "hel").map((s) => s.shortcut)).toEqual(["hello", "help-desk", "othello"]);
    expect(matchSnippets(all, "CARD").map((s) => s.shortcut)).toEqual(["card-lost"]);
    expect(matchSnippets(all, "stolen").map((s) => s.shortcut)).toEqual(["card-lost"]);
    expect(matchSnippets(all, "zzz")).toEqual([]);
    expect(matchSnippets(all, "").map((s) => s.shortcut)).toEqual([
      "card-lost",
      "hello",
      "help-desk",
      "othello",
      "thanks",
    ]);
    expect(matchSnippets(all, "", 2)).toHaveLength(2);
  });

  it("a personal snippet shadows a shared one with the same shortcut", () => {
    const mine = snippet("Hello", "My greeting", "personal");
    expect(matchSnippets([...all, mine], "hello")).toEqual([mine, all[4]]);
  });

  it("replaces the /word with the snippet, keeping what follows", () => {
    expect(insertSnippet("/hel", { start: 0 }, 4, "Hi John")).toEqual({ text: "Hi John", caret: 7 });
    expect(insertSnippet("Sure. /thx", { start: 6 }, 10, "Thanks!")).toEqual({
      text: "Sure. Thanks!",
      caret: 13,
    });
    expect(insertSnippet("/hel more", { start: 0 }, 4, "Hi")).toEqual({ text: "Hi more", caret: 2 });
    expect(insertSnippet("/helmore", { start: 0 }, 4, "Hi")).toEqual({ text: "Hi more", caret: 3 });
  });
});
