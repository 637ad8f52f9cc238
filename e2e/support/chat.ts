import type { Frame, FrameLocator, Page } from "playwright-core";
import type { Server as SocketServer } from "socket.io";
import { expect } from "vitest";
import { type Journey, signIn, waitForPath } from "./journey";

/** A page or a widget's iframe: both find elements by test id. */
export type Surface = Page | Frame | FrameLocator;

const pollTimeout = 15_000;

export async function signedInPage(
  j: Journey,
  email: string,
  home: "/portal" | "/console",
  options: { colorScheme?: "light" | "dark" } = {},
): Promise<Page> {
  const page = await j.newPage(options);
  await signIn(page, j.url, { tenant: "acme", email });
  await waitForPath(page, home);
  return page;
}

export async function threadText(surface: Surface): Promise<string> {
  return (
    (await surface
      .getByTestId("thread-messages")
      .textContent({ timeout: 5_000 })
      .catch(() => "")) ?? ""
  );
}

export async function expectInThread(surface: Surface, text: string): Promise<void> {
  await expect.poll(() => threadText(surface), { timeout: pollTimeout }).toContain(text);
}

/** Waits for the thread to be joined (history shown) before anything is typed into it. */
export async function waitForThread(surface: Surface): Promise<void> {
  await expect
    .poll(() => surface.getByTestId("thread-messages").getAttribute("aria-busy"), { timeout: pollTimeout })
    .toBe("false");
}

export async function send(surface: Surface, text: string): Promise<void> {
  await surface.getByTestId("composer-input").fill(text);
  await surface.getByTestId("composer-send").click();
  await expectInThread(surface, text);
}

export async function typingText(surface: Surface): Promise<string> {
  return (await surface.getByTestId("typing-indicator").textContent()) ?? "";
}

/** The customer starts a chat from the portal home and lands in its thread; returns the conversation id. */
export async function startChat(page: Page, subject: string, message: string): Promise<string> {
  await page.getByTestId("start-chat-subject").fill(subject);
  await page.getByTestId("start-chat-message").fill(message);
  await page.getByTestId("portal-start-chat").click();
  await page.waitForURL((url) => url.pathname.startsWith("/portal/chats/"), { timeout: pollTimeout });
  await waitForThread(page);
  return new URL(page.url()).pathname.split("/").pop()!;
}

/** The agent opens a conversation from an inbox tab by a text of its row (subject or customer name). */
export async function openFromInbox(page: Page, tab: "mine" | "unassigned" | "all", text: string) {
  await page.getByTestId(`inbox-tab-${tab}`).click();
  const row = page.getByTestId("inbox-list").locator("a", { hasText: text }).first();
  await row.waitFor({ timeout: pollTimeout });
  await row.click();
  await page.waitForURL((url) => url.pathname.startsWith("/console/conversations/"), {
    timeout: pollTimeout,
  });
  await waitForThread(page);
}

/** The data-status of a status badge (the visible words differ between portal and console). */
export async function statusOf(surface: Surface, testId: string): Promise<string | null> {
  return surface
    .getByTestId(testId)
    .locator("[data-status]")
    .getAttribute("data-status", { timeout: 5_000 })
    .catch(() => null);
}

/** The read mark of the message at `seq`: "true" once the other side has read it. */
export async function readMark(surface: Surface, seq: number): Promise<string | null> {
  return surface
    .getByTestId(`message-${seq}`)
    .getByTestId("message-read-mark")
    .getAttribute("data-read", { timeout: 5_000 })
    .catch(() => null);
}

/** The server's live sockets signed in as `userId`. Realtime keeps its Socket.IO server private; journeys about
 * live delivery are the one place that needs it. */
function socketsOf(j: Journey, userId: string) {
  const io = Reflect.get(j.app.deps.realtime, "io") as SocketServer;
  return [...io.of("/").sockets.values()].filter(
    (socket) => (socket.data as { user?: { id: string } }).user?.id === userId,
  );
}

/** How many live connections the server holds for a user: a page's alerts reach it only once it has one. */
export function connectionCount(j: Journey, userId: string): number {
  return socketsOf(j, userId).length;
}

/**
 * Cuts a user's live connections as a network drop would ("transport close", which the client retries),
 * unlike a server-side disconnect, which the client takes as final.
 */
export function dropConnections(j: Journey, userId: string): number {
  const sockets = socketsOf(j, userId);
  for (const socket of sockets) socket.conn.close();
  return sockets.length;
}
