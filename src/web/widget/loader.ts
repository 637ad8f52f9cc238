/**
 * The embed script host sites add, built on its own to /widget.js (no imports: it runs as a classic script on
 * someone else's page, where it must not leak globals or depend on the host's CSS):
 *
 *   <script src="https://support.example.com/widget.js" data-tenant="acme" async></script>
 *
 * Signed-in users of the host can be identified with data-user-id, data-user-name, data-user-email,
 * data-timestamp and data-signature (an HMAC the host's server computes with the tenant's widget secret).
 * It adds a chat bubble and, once clicked, an iframe of /widget from the script's own origin.
 */
(() => {
  const flag = "__switchboardWidget";
  const global = window as Window & { [flag]?: boolean };
  // currentScript is only set while a classic script first runs; a second copy of the snippet is ignored.
  const script = document.currentScript as HTMLScriptElement | null;
  if (global[flag] || !script?.src) return;
  const tenant = script.dataset.tenant;
  if (!tenant) {
    console.warn("Switchboard widget: add data-tenant to the script tag.");
    return;
  }
  global[flag] = true;
  const origin = new URL(script.src, location.href).origin;
  const params = new URLSearchParams({ tenant });
  const identity: Record<string, string | undefined> = {
    userId: script.dataset.userId,
    name: script.dataset.userName,
    email: script.dataset.userEmail,
    timestamp: script.dataset.timestamp,
    signature: script.dataset.signature,
  };
  for (const [key, value] of Object.entries(identity)) if (value) params.set(key, value);
  const frameSrc = `${origin}/widget?${params}`;

  // A shadow root keeps the host page's CSS (`button { … }`, `iframe { display: none }`) off the bubble and frame.
  const host = document.createElement("div");
  host.setAttribute("data-testid", "switchboard-widget");
  const root = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = `
    :host { all: initial; }
    .bubble { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 56px; height: 56px;
      display: grid; place-items: center; padding: 0; border: none; border-radius: 50%; background: #2f5fd0; color: #fff;
      box-shadow: 0 6px 20px rgba(0,0,0,.25); cursor: pointer; }
    .bubble:focus-visible { outline: 3px solid #8fb0f5; outline-offset: 2px; }
    .frame { position: fixed; right: 20px; bottom: 88px; z-index: 2147483000; width: 370px; height: 560px;
      max-width: calc(100vw - 40px); max-height: calc(100vh - 108px); border: none; border-radius: 12px;
      box-shadow: 0 12px 40px rgba(0,0,0,.3); background: #fff; color-scheme: normal; }
    .frame[hidden] { display: none; }
    @media (max-width: 480px) {
      .frame { right: 0; bottom: 0; width: 100vw; height: 100vh; max-width: none; max-height: none; border-radius: 0; }
    }`;
  // Inline SVG rather than emoji, which need an emoji font the visitor may not have.
  const svg = (d: string) =>
    `<svg aria-hidden="true" width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="${d}"/></svg>`;
  const chatIcon = svg(
    "M21 11.5a8.38 8.38 0 0 1-.9 3.8 8.5 8.5 0 0 1-7.6 4.7 8.38 8.38 0 0 1-3.8-.9L3 21l1.9-5.7a8.38 8.38 0 0 1-.9-3.8 8.5 8.5 0 0 1 4.7-7.6 8.38 8.38 0 0 1 3.8-.9h.5a8.48 8.48 0 0 1 8 8v.5z",
  );
  const closeIcon = svg("M18 6 6 18M6 6l12 12");
  const bubble = document.createElement("button");
  bubble.type = "button";
  bubble.className = "bubble";
  bubble.setAttribute("data-testid", "switchboard-widget-bubble");
  bubble.setAttribute("aria-label", "Chat with us");
  bubble.setAttribute("aria-expanded", "false");
  bubble.innerHTML = chatIcon;
  root.append(style, bubble);

  let frame: HTMLIFrameElement | null = null;
  const setOpen = (open: boolean) => {
    // The iframe (and with it the whole chat app) loads on first use, not with every page of the host site.
    if (open && !frame) {
      frame = document.createElement("iframe");
      frame.className = "frame";
      frame.src = frameSrc;
      frame.title = "Chat with support";
      // A call from the chat needs the microphone, which a cross-origin frame only gets when the page allows it.
      frame.allow = "microphone; autoplay";
      frame.setAttribute("data-testid", "switchboard-widget-frame");
      root.append(frame);
    }
    if (frame) frame.hidden = !open;
    bubble.setAttribute("aria-expanded", String(open));
    bubble.innerHTML = open ? closeIcon : chatIcon;
    bubble.setAttribute("aria-label", open ? "Close chat" : "Chat with us");
  };
  bubble.addEventListener("click", () => setOpen(bubble.getAttribute("aria-expanded") !== "true"));
  // The chat's own close button asks the host page to hide it; only messages from our origin count.
  window.addEventListener("message", (event) => {
    const data = event.data as { type?: unknown } | null;
    if (event.origin === origin && data?.type === "switchboard:close") setOpen(false);
  });

  const mount = () => document.body.append(host);
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
