import { useCallback, useEffect, useState } from "react";

export type Theme = "light" | "dark";
const storageKey = "switchboard.theme";
const darkQuery = "(prefers-color-scheme: dark)";

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(storageKey);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    // Storage can be blocked (privacy modes); the system preference still applies.
    return null;
  }
}

function systemTheme(): Theme {
  return window.matchMedia(darkQuery).matches ? "dark" : "light";
}

/**
 * Without a stored choice the CSS follows prefers-color-scheme by itself (color-scheme + light-dark()),
 * so data-theme is only set when the user has picked one.
 */
export function applyStoredTheme(): void {
  const theme = storedTheme();
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

export function useTheme(): { theme: Theme; toggle: () => void } {
  const [theme, setTheme] = useState<Theme>(() => storedTheme() ?? systemTheme());

  useEffect(() => {
    const media = window.matchMedia(darkQuery);
    const onChange = () => setTheme(storedTheme() ?? systemTheme());
    media.addEventListener("change", onChange);
    window.addEventListener("storage", onChange);
    return () => {
      media.removeEventListener("change", onChange);
      window.removeEventListener("storage", onChange);
    };
  }, []);

  const toggle = useCallback(() => {
    const next: Theme = (storedTheme() ?? systemTheme()) === "dark" ? "light" : "dark";
    try {
      localStorage.setItem(storageKey, next);
    } catch {
      // Not persisted, but the page still switches.
    }
    document.documentElement.dataset.theme = next;
    setTheme(next);
  }, []);

  return { theme, toggle };
}
